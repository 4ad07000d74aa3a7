import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { aPendingOrder, orderRow } from '../../test/support/order-fixtures.js';
import { hasReached, ORDER_STATUSES, PREVIOUS_STATUSES, type OrderStatus } from '../domain/order-status.js';
import { transitionOrder } from './order-transitions.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('order_transitions');
});
afterAll(() => database.drop());

type Outcome = 'moved' | 'already there' | 'refused';

/** What the status machine says a write to `to` must do to an order at `current`. */
function expectedOutcome(current: OrderStatus, to: OrderStatus): Outcome {
  if (PREVIOUS_STATUSES[to].includes(current)) return 'moved';
  return hasReached(current, to) ? 'already there' : 'refused';
}

describe('status writes to PostgreSQL follow the status machine, whatever order the saga (or a bug) sends them in', () => {
  it('moves only along a legal transition, treats a repeat as done, and refuses the rest without writing', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ORDER_STATUSES), { minLength: 1, maxLength: 8 }), async (targets) => {
        const { orderId } = await aPendingOrder(database.db, { lines: [] });
        let current: OrderStatus = 'PENDING';
        for (const to of targets) {
          const expected = expectedOutcome(current, to);
          // One payment for the whole order, so a repeated PAID is a retry, not another charge.
          const outcome = await transitionOrder(database.db, orderId, to, to === 'PAID' ? { paymentId: 'ch_property' } : {}).then(
            (moved): Outcome => (moved ? 'moved' : 'already there'),
            (error: Error & { type?: string }) => {
              expect(error.type).toBe('IllegalOrderTransition');
              return 'refused';
            },
          );
          expect(outcome, `${current} -> ${to} in ${targets.join(', ')}`).toBe(expected);
          if (outcome === 'moved') current = to;
          expect((await orderRow(database.db, orderId)).status).toBe(current);
        }
      }),
      { numRuns: 60 },
    );
  });
});
