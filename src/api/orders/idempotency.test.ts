import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import type { Database } from '../../db/client.js';
import { claimIdempotencyKey, purgeExpiredIdempotencyKeys } from './idempotency.js';

/**
 * Wraps a query builder (and every builder its methods return) so that awaiting it first runs
 * `before`: the purge lands exactly between the claim's insert and its read.
 */
function runningFirst<T extends object>(builder: T, before: () => Promise<unknown>): T {
  return new Proxy(builder, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'then') {
        const then = value as PromiseLike<unknown>['then'];
        return (resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) => before().then(() => then.call(target, resolve, reject), reject);
      }
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result !== null && typeof result === 'object' ? runningFirst(result, before) : result;
      };
    },
  });
}

describe('claiming an Idempotency-Key while the purge runs', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('idempotency');
  });
  afterAll(() => database.drop());

  it('a key purged between the claim’s insert and its read is claimed afresh, not a 500', async () => {
    const customerId = 'cus_purge_race';
    await database.sql`insert into idempotency_keys (customer_id, key, request_fingerprint, order_id, created_at)
      values (${customerId}, 'old-key', 'first-request', ${randomUUID()}, now() - interval '25 hours')`;
    const db = database.db;
    const purgingDb = {
      insert: db.insert.bind(db),
      update: db.update.bind(db),
      delete: db.delete.bind(db),
      select: ((...args: Parameters<Database['select']>) => runningFirst(db.select(...args), () => purgeExpiredIdempotencyKeys(db))) as Database['select'],
    };
    const orderId = randomUUID();
    const claim = await claimIdempotencyKey(purgingDb, { customerId, key: 'old-key', fingerprint: 'second-request', orderId });
    expect(claim).toEqual({ claimed: true });
    const rows = await database.sql`select request_fingerprint, order_id from idempotency_keys where customer_id = ${customerId}`;
    expect(rows).toEqual([{ request_fingerprint: 'second-request', order_id: orderId }]);
  });
});
