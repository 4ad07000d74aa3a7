import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayCircuitOpenError, withCircuitBreaker, type GatewayCircuitState } from './circuit-breaker.js';
import { GatewayRequestError, GatewayUnavailableError, type ChargeOutcome, type PaymentGatewayClient } from './client.js';
import type { Charge, ChargeRequest } from './contract.js';

const OPTIONS = { consecutiveFailures: 3, halfOpenAfterMs: 5_000 };
const REQUEST: ChargeRequest = { orderId: 'order-1', amount: 8900, currency: 'USD', token: 'tok_visa' };
const CHARGE = { id: 'ch_1', orderId: 'order-1', amount: 8900, currency: 'USD' } as Charge;

/** A gateway whose charge answers are scripted one call at a time; it records the key of every call it got. */
function scriptedGateway(...answers: (() => ChargeOutcome)[]) {
  const keys: string[] = [];
  const gateway = {
    charge: (key: string) => {
      keys.push(key);
      const answer = answers.shift() ?? succeeded;
      return Promise.resolve().then(answer);
    },
  } as unknown as PaymentGatewayClient;
  return { gateway, keys };
}
const down = (): never => {
  throw new GatewayUnavailableError('Payment gateway POST /charges answered 503', 503);
};
const rejected = (): never => {
  throw new GatewayRequestError(409, 'conflict', 'Payment gateway POST /charges answered 409');
};
const declined = (): ChargeOutcome => ({ outcome: 'declined', code: 'card_declined', message: 'declined' });
const succeeded = (): ChargeOutcome => ({ outcome: 'succeeded', charge: CHARGE });

function observed() {
  const seen = { shortCircuited: 0, states: [] as GatewayCircuitState[] };
  return { seen, observer: { gatewayCallShortCircuited: () => seen.shortCircuited++, gatewayCircuitChanged: (state: GatewayCircuitState) => seen.states.push(state) } };
}

describe('the payment gateway circuit breaker', () => {
  // The breaker reads the clock: a fake one moves past its open time without waiting for it.
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('opens after consecutive gateway failures; while open, calls fail fast without reaching the gateway and say when to try again', async () => {
    const { gateway, keys } = scriptedGateway(down, down, down);
    const { seen, observer } = observed();
    const guarded = withCircuitBreaker(gateway, OPTIONS, observer);
    for (let i = 0; i < 3; i++) await expect(guarded.charge('charge-order-1', REQUEST)).rejects.toBeInstanceOf(GatewayUnavailableError);
    expect(seen.states).toEqual(['closed', 'open']);

    vi.advanceTimersByTime(2_000);
    const refused = await guarded.charge('charge-order-1', REQUEST).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayCircuitOpenError);
    // Still a gateway outage to its callers (retryable), with the rest of the open time.
    expect(refused).toBeInstanceOf(GatewayUnavailableError);
    expect((refused as GatewayCircuitOpenError).retryAfterMs).toBe(3_000);
    expect(keys).toHaveLength(3);
    expect(seen.shortCircuited).toBe(1);
  });

  it('after its open time one trial call goes through; its success closes the circuit', async () => {
    const { gateway, keys } = scriptedGateway(down, down, down, succeeded);
    const { seen, observer } = observed();
    const guarded = withCircuitBreaker(gateway, OPTIONS, observer);
    for (let i = 0; i < 3; i++) await guarded.charge('charge-order-1', REQUEST).catch(() => undefined);
    vi.advanceTimersByTime(OPTIONS.halfOpenAfterMs);
    expect(await guarded.charge('charge-order-1', REQUEST)).toEqual(succeeded());
    expect(seen.states).toEqual(['closed', 'open', 'half-open', 'closed']);
    // A charge whose answers were lost is sent again under the same key: the gateway answers with the first charge.
    expect(new Set(keys)).toEqual(new Set(['charge-order-1']));
  });

  it('a failed trial opens it again for another open time', async () => {
    const { gateway } = scriptedGateway(down, down, down, down);
    const { seen, observer } = observed();
    const guarded = withCircuitBreaker(gateway, OPTIONS, observer);
    for (let i = 0; i < 3; i++) await guarded.charge('k', REQUEST).catch(() => undefined);
    vi.advanceTimersByTime(OPTIONS.halfOpenAfterMs);
    await expect(guarded.charge('k', REQUEST)).rejects.not.toBeInstanceOf(GatewayCircuitOpenError);
    await expect(guarded.charge('k', REQUEST)).rejects.toBeInstanceOf(GatewayCircuitOpenError);
    expect(seen.states).toEqual(['closed', 'open', 'half-open', 'open']);
  });

  it('declines and 4xx rejections are answers, not outages: any number of them never opens it', async () => {
    const { gateway, keys } = scriptedGateway(down, down, rejected, down, down, declined, down, down, rejected, rejected, rejected, declined, declined);
    const { seen, observer } = observed();
    const guarded = withCircuitBreaker(gateway, OPTIONS, observer);
    for (let i = 0; i < 13; i++) await guarded.charge('k', REQUEST).catch(() => undefined);
    expect(await guarded.charge('k', REQUEST)).toEqual(succeeded());
    expect(keys).toHaveLength(14);
    expect(seen.shortCircuited).toBe(0);
    expect(seen.states).toEqual(['closed']);
  });

  it('passes the simulator’s fault controls outside the breaker, so an open circuit can still be healed', async () => {
    const setFaults = vi.fn(() => Promise.resolve({ failureRate: 0, latencyMs: 0, seed: 1 }));
    const { gateway } = scriptedGateway(down, down, down);
    const guarded = withCircuitBreaker(Object.assign(gateway, { setFaults }), OPTIONS);
    for (let i = 0; i < 3; i++) await guarded.charge('k', REQUEST).catch(() => undefined);
    await guarded.setFaults({ failureRate: 0 });
    expect(setFaults).toHaveBeenCalledOnce();
  });
});
