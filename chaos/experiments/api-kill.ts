import type { Experiment } from '../run/experiment.js';

export const apiKill: Experiment = {
  name: 'api-kill',
  fault: 'SIGKILL the API during a burst of POSTs, restart it 2 s later; clients retry with their keys, the reconciler starts orphans',
  run: (context) =>
    context.withFaultMidFlow({ count: context.orders, concurrency: 24, at: 0.3 }, async () => {
      const { processes } = context.chaos.stack;
      await processes.kill('api');
      await context.hold(2000);
      await processes.restart('api');
    }),
};
