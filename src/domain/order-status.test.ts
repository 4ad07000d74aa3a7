import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, hasReached, isFinal, ORDER_STATUSES, PREVIOUS_STATUSES, type OrderStatus } from './order-status.js';

/** The statuses an order at `from` may move to next. */
const nextOf = (from: OrderStatus) => ORDER_STATUSES.filter((to) => PREVIOUS_STATUSES[to].includes(from));

/** Every status reachable from `from` in one or more moves. */
function reachableFrom(from: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>();
  const queue = nextOf(from);
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...nextOf(next));
  }
  return seen;
}

const status = fc.constantFrom(...ORDER_STATUSES);

describe('the order status machine', () => {
  it('lets nothing follow a final status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL_STATUSES), status, (final, to) => {
        expect(PREVIOUS_STATUSES[to]).not.toContain(final);
      }),
    );
  });

  it('brings every path from PENDING to a final status, in at most as many moves as there are statuses', () => {
    // A random walk: at each status, any move the machine allows. No walk may stall before a final status, or loop.
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: ORDER_STATUSES.length, maxLength: ORDER_STATUSES.length }), (choices) => {
        let at: OrderStatus = 'PENDING';
        const path: OrderStatus[] = [at];
        for (const choice of choices) {
          const next = nextOf(at);
          if (next.length === 0) break;
          at = next[choice % next.length]!;
          path.push(at);
        }
        expect(isFinal(at), path.join(' -> ')).toBe(true);
        expect(new Set(path).size, `a status repeats: ${path.join(' -> ')}`).toBe(path.length);
      }),
    );
  });

  it('has no status, but a final one, that an order cannot leave', () => {
    for (const from of ORDER_STATUSES) expect(nextOf(from).length === 0, from).toBe(isFinal(from));
  });

  it('reaches every status from PENDING', () => {
    expect([...reachableFrom('PENDING')].sort()).toEqual(ORDER_STATUSES.filter((s) => s !== 'PENDING').sort());
  });

  it('calls a status reached only when moving there again would be going backwards or staying put', () => {
    fc.assert(
      fc.property(status, status, (current, to) => {
        if (!hasReached(current, to)) return;
        // Reached means done: `to` is where the order is, or behind it, never ahead of it.
        expect(current === to || !reachableFrom(current).has(to), `${current} has reached ${to}`).toBe(true);
        expect(current === to || reachableFrom(to).has(current), `${current} is not after ${to}`).toBe(true);
      }),
    );
  });

  it('never counts a failed or cancelled order as having reached another status', () => {
    fc.assert(
      fc.property(fc.constantFrom<OrderStatus>('FAILED', 'CANCELLED'), status, (ended, to) => {
        expect(hasReached(ended, to)).toBe(ended === to);
      }),
    );
  });
});
