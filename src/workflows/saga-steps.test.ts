import { describe, expect, it } from 'vitest';
import { createOrderActivities, type OrderActivityDeps } from '../activities/index.js';
import { activitiesInGroup, activitiesOnQueue, COMPENSATION_ACTIVITIES, COMPENSATION_SERIES, describeOrderActivity, SAGA_ACTIVITIES, stepSpec } from './saga-steps.js';

const total = { amount: 14700, currency: 'USD' };

describe('the table of saga steps', () => {
  it('has a row for every activity the worker registers, and no row for anything else', () => {
    // The activity functions are only listed here, never called: their dependencies are never touched.
    const registered = Object.keys(createOrderActivities({} as OrderActivityDeps)).sort();
    expect(Object.keys(SAGA_ACTIVITIES).sort()).toEqual(registered);
  });

  it('puts every activity in exactly one retry group', () => {
    const grouped = (['inventory', 'payment', 'mustSucceed', 'notification'] as const).flatMap((group) => activitiesInGroup(group));
    expect(grouped.sort()).toEqual(Object.keys(SAGA_ACTIVITIES).sort());
  });

  it('puts the gateway calls on the payments queue, the notification on its own, and the database work with the workflow', () => {
    expect(activitiesOnQueue('payments').sort()).toEqual(['chargePayment', 'refundPayment']);
    expect(activitiesOnQueue('notifications')).toEqual(['notifyCustomer']);
    expect(activitiesOnQueue('orders').sort()).toEqual(['confirmOrder', 'recordOrderOutcome', 'releaseStock', 'reserveStock', 'screenForFraud']);
  });

  it('names a compensation only where it undoes a step, and every compensation undoes one', () => {
    const undone = Object.values(SAGA_ACTIVITIES).flatMap((row) => ('compensation' in row ? [row.compensation] : []));
    expect([...undone].sort()).toEqual([...COMPENSATION_ACTIVITIES].sort());
    for (const name of COMPENSATION_ACTIVITIES) expect(stepSpec(name).role).toBe('compensation');
  });

  it('starts a metric series for every outcome of every compensation', () => {
    expect(COMPENSATION_SERIES).toEqual([
      { step: 'releaseStock', outcome: 'released' },
      { step: 'releaseStock', outcome: 'nothing_held' },
      { step: 'refundPayment', outcome: 'refunded' },
      { step: 'refundPayment', outcome: 'voided' },
    ]);
  });

  it('summarises each step in words for the Web UI, and nothing for an unknown activity or an odd input', () => {
    const lines = [
      { sku: 'KBD-001', quantity: 1 },
      { sku: 'MSE-001', quantity: 2 },
    ];
    expect(describeOrderActivity('reserveStock', [{ orderId: 'o', lines }])).toBe('Reserve 3 items: KBD-001 ×1, MSE-001 ×2');
    expect(describeOrderActivity('chargePayment', [{ orderId: 'o', total, paymentToken: 'tok' }])).toBe('Charge $147.00');
    expect(describeOrderActivity('recordOrderOutcome', [{ orderId: 'o', status: 'FAILED', reason: 'OUT_OF_STOCK' }])).toBe('Record FAILED (OUT_OF_STOCK)');
    expect(describeOrderActivity('notifyCustomer', [{ customerId: 'cus_1', kind: 'ORDER_CONFIRMED' }])).toBe('Notify cus_1: ORDER_CONFIRMED');
    expect(describeOrderActivity('shipOrder', [{}])).toBeUndefined();
    expect(describeOrderActivity('reserveStock', [])).toBeUndefined();
  });
});
