import type { Experiment } from '../run/experiment.js';

export const temporalRestart: Experiment = {
  name: 'temporal-restart',
  fault: 'stop the file-backed Temporal dev server with orders in flight, start it again 5 s later',
  run: (context) =>
    context.withFaultMidFlow({ count: context.orders, at: 0.3 }, async () => {
      const { processes } = context.chaos.stack;
      await processes.stopTemporal();
      await context.hold(5000);
      await processes.startTemporal();
    }),
};
