import { describe, expect, it } from 'vitest';
import { findOrderEventViolations, type EventFact, type OrderTransitionFacts } from './order-events.js';

const anOrder = (overrides: Partial<OrderTransitionFacts> = {}): OrderTransitionFacts => ({
  id: 'ord_1',
  status: 'COMPLETED',
  failureReason: null,
  paymentId: 'ch_1',
  claimedStock: true,
  refunded: false,
  ...overrides,
});
const eventsOf = (...types: string[]): EventFact[] =>
  types.map((type, i) => ({
    type,
    position: i + 1,
    data: type === 'order.paid' ? { paymentId: 'ch_1' } : type === 'order.failed' ? { reason: 'PAYMENT_DECLINED' } : {},
  }));
const rules = (order: OrderTransitionFacts, events: EventFact[]) => findOrderEventViolations(order, events).map((v) => v.rule);

describe('every transition has exactly one event', () => {
  it('passes a completed order with its four events, and a declined one with created and failed', () => {
    expect(rules(anOrder(), eventsOf('order.created', 'order.reserved', 'order.paid', 'order.completed'))).toEqual([]);
    const declined = anOrder({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED', paymentId: null });
    expect(rules(declined, eventsOf('order.created', 'order.reserved', 'order.failed'))).toEqual([]);
  });

  it('passes a cancelled order refunded for a charge that landed after the cancel (no order.paid)', () => {
    const cancelled = anOrder({ status: 'CANCELLED', paymentId: null, refunded: true });
    expect(rules(cancelled, eventsOf('order.created', 'order.reserved', 'order.cancelled', 'order.refunded'))).toEqual([]);
  });

  it('reports a missing event of each transition', () => {
    expect(rules(anOrder(), eventsOf('order.reserved', 'order.paid', 'order.completed'))).toEqual(['created-event-missing']);
    expect(rules(anOrder(), eventsOf('order.created', 'order.paid', 'order.completed'))).toEqual(['reserved-event-missing']);
    expect(rules(anOrder(), eventsOf('order.created', 'order.reserved', 'order.completed'))).toEqual(['paid-event-missing']);
    expect(rules(anOrder(), eventsOf('order.created', 'order.reserved', 'order.paid'))).toEqual(['final-event-missing']);
    const refunded = anOrder({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED', refunded: true });
    expect(rules(refunded, eventsOf('order.created', 'order.reserved', 'order.paid', 'order.failed'))).toEqual(['refunded-event-missing']);
  });

  it('reports an event of a transition that did not happen, a repeated one, and a reason that differs', () => {
    expect(rules(anOrder(), eventsOf('order.created', 'order.reserved', 'order.paid', 'order.completed', 'order.failed'))).toContain('final-event-without-status');
    expect(rules(anOrder({ paymentId: null, status: 'PENDING' }), eventsOf('order.created', 'order.paid'))).toEqual(['paid-event-without-payment']);
    expect(rules(anOrder(), eventsOf('order.created', 'order.reserved', 'order.paid', 'order.completed', 'order.completed'))).toContain('event-repeated');
    const failed = anOrder({ status: 'FAILED', failureReason: 'OUT_OF_STOCK', paymentId: null, claimedStock: false });
    expect(rules(failed, eventsOf('order.created', 'order.failed'))).toEqual(['failed-event-reason-differs']);
    expect(rules(anOrder({ claimedStock: false }), eventsOf('order.created', 'order.reserved', 'order.paid', 'order.completed'))).toEqual([
      'reserved-event-without-stock',
    ]);
  });
});
