import type { Experiment } from '../run/experiment.js';

const PROVIDER_PATHS = ['/charges', '/refunds'];

export const gatewayFlap: Experiment = {
  name: 'gateway-flap',
  fault: 'the gateway answers 503 to 50% of calls for 10 s, then is down (killed) for 20 s, then back',
  run: (context) =>
    context.withFaultMidFlow({ count: context.orders, at: 0.2 }, async () => {
      const { gateway } = context.chaos;
      const { processes } = context.chaos.stack;
      await gateway.setFaults({ failureRate: 0.5, seed: context.seed, paths: PROVIDER_PATHS });
      await context.hold(10_000);
      await processes.kill('payments');
      await context.hold(20_000);
      await processes.restart('payments'); // starts with no faults
    }),
};

/** Above the worker's gateway HTTP timeout (PAYMENT_GATEWAY_TIMEOUT_MS, 5 s): every charge attempt times out, and the gateway still does it. */
const SLOW_MS = 6000;

export const gatewaySlow: Experiment = {
  name: 'gateway-slow',
  fault: `charges take ${SLOW_MS / 1000} s, above the attempt's 5 s timeout, for 20 s: attempts time out, retries reuse the key`,
  run: (context) =>
    context.withFaultMidFlow({ count: context.orders, at: 0.3 }, async () => {
      const { gateway } = context.chaos;
      await gateway.setFaults({ latencyMs: SLOW_MS, paths: ['/charges'] });
      await context.hold(20_000);
      await gateway.setFaults({ latencyMs: 0, paths: [] });
    }),
};

export const lostChargeResponse: Experiment = {
  name: 'lost-charge-response',
  fault: 'the gateway commits a charge and loses its answer (a 503 instead), for a fifth of the charges',
  run: (context) =>
    context.withFaultMidFlow({ count: context.orders, at: 0.2 }, async () => {
      const { gateway } = context.chaos;
      const lost = Math.max(3, Math.round(context.orders / 5));
      await gateway.setFaults({ paths: ['/charges'], loseNextResponses: lost });
      // The fault lasts until the gateway has lost that many answers (or the load is over).
      for (let waited = 0; waited < 120_000 && ((await gateway.getFaults()).loseNextResponses ?? 0) > 0; waited += 250) await context.hold(250);
      await gateway.setFaults({ paths: [], loseNextResponses: 0 });
      context.note(`lost the answers of ${lost} committed charges`);
    }),
};
