import type { Experiment } from '../run/experiment.js';

export const dbOutage: Experiment = {
  name: 'db-outage',
  fault: 'stop PostgreSQL for 15 s, then start it again',
  run: (context) =>
    context.withFaultMidFlow({ count: context.orders, at: 0.3 }, async () => {
      const { processes } = context.chaos.stack;
      await processes.stopPostgres();
      await context.hold(15_000);
      await processes.startPostgres();
      context.note(`API answers to POST /orders while PostgreSQL was down: ${context.tally.summary('fault') || 'none'}`);
    }),
};
