import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, IsolatedCircuitError } from 'cockatiel';
import { GatewayRequestError, GatewayUnavailableError, type PaymentGatewayClient } from './client.js';

export type GatewayCircuitState = 'closed' | 'open' | 'half-open';
export const GATEWAY_CIRCUIT_STATES: readonly GatewayCircuitState[] = ['closed', 'open', 'half-open'];

export interface GatewayBreakerOptions {
  /** This many gateway failures in a row open the circuit. */
  consecutiveFailures: number;
  /** How long it stays open before one trial call may go through (half-open). */
  halfOpenAfterMs: number;
}

export const DEFAULT_GATEWAY_BREAKER: GatewayBreakerOptions = { consecutiveFailures: 5, halfOpenAfterMs: 5_000 };

/** What the breaker tells the worker's metrics. */
export interface GatewayBreakerObserver {
  /** A call was refused without reaching the gateway: a call the breaker saved it. */
  gatewayCallShortCircuited(): void;
  gatewayCircuitChanged(state: GatewayCircuitState): void;
}

/**
 * The circuit is open: the call was not sent. Still a GatewayUnavailableError (the same call may
 * succeed later), with the time until the breaker lets a trial call through, so the caller's retry
 * waits that long instead of hammering a gateway that is down.
 */
export class GatewayCircuitOpenError extends GatewayUnavailableError {
  constructor(readonly retryAfterMs: number) {
    super(`Payment gateway circuit is open after repeated failures; not calling it for another ${retryAfterMs}ms`);
    this.name = 'GatewayCircuitOpenError';
  }
}

const STATE_NAMES: Partial<Record<CircuitState, GatewayCircuitState>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The gateway client behind a circuit breaker (cockatiel). Only failures of the gateway itself
 * count: transport errors, timeouts, 5xx and 429, which the client throws as GatewayUnavailableError.
 * A decline (402) is an answer, and so is a 4xx rejection (our request's fault): both count as the
 * gateway being up.
 * Charges keep their idempotency key, so a charge refused while the circuit is open, or whose answer
 * was lost, is sent again later under the same key and answered with the first charge.
 * The simulator's admin calls (faults) pass outside the breaker, so a test can always heal it.
 */
export function withCircuitBreaker(
  gateway: PaymentGatewayClient,
  options: GatewayBreakerOptions = DEFAULT_GATEWAY_BREAKER,
  observer?: GatewayBreakerObserver,
): PaymentGatewayClient {
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof GatewayUnavailableError),
    { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.consecutiveFailures) },
  );
  let openedAt = 0;
  breaker.onBreak(() => (openedAt = Date.now()));
  breaker.onStateChange((state) => observer?.gatewayCircuitChanged(STATE_NAMES[state] ?? 'open'));
  observer?.gatewayCircuitChanged('closed');

  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    let answered: { value: T } | { refusal: GatewayRequestError };
    try {
      // A 4xx refusal is an answer: proof that the gateway is up, so the breaker counts it as a success.
      answered = await breaker.execute(() =>
        call().then(
          (value) => ({ value }),
          (error: unknown) => {
            if (error instanceof GatewayRequestError) return { refusal: error };
            throw error;
          },
        ),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        observer?.gatewayCallShortCircuited();
        // At least a little, so that a retry never spins when the half-open moment is now.
        throw new GatewayCircuitOpenError(Math.max(100, openedAt + options.halfOpenAfterMs - Date.now()));
      }
      throw error;
    }
    if ('refusal' in answered) throw answered.refusal;
    return answered.value;
  }

  return {
    charge: (key, request) => guarded(() => gateway.charge(key, request)),
    refund: (key, request) => guarded(() => gateway.refund(key, request)),
    listCharges: (orderId) => guarded(() => gateway.listCharges(orderId)),
    listRefunds: (orderId) => guarded(() => gateway.listRefunds(orderId)),
    getFaults: () => gateway.getFaults(),
    setFaults: (changes) => gateway.setFaults(changes),
  };
}
