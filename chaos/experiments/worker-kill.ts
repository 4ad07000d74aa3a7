import type { Experiment, ExperimentContext } from '../run/experiment.js';

/** SIGKILL `name` at random moments, `times` times, starting it again a moment later each time. */
async function killRepeatedly(context: ExperimentContext, name: string, times: number): Promise<void> {
  const { processes } = context.chaos.stack;
  const moments: string[] = [];
  const started = Date.now();
  for (let i = 0; i < times; i++) {
    await context.hold(500 + Math.floor(context.random() * 2500));
    moments.push(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    await processes.kill(name);
    await context.hold(1000);
    await processes.restart(name);
  }
  context.note(`SIGKILLed ${name} at ${moments.join(', ')} into the fault, restarting it each time`);
}

export const workerKill: Experiment = {
  name: 'worker-kill',
  fault: 'SIGKILL the only worker 3 times at random points, restarting it each time',
  run: (context) => context.withFaultMidFlow({ count: context.orders, at: 0.2 }, () => killRepeatedly(context, 'worker', 3)),
};

export const workerKillOfTwo: Experiment = {
  name: 'worker-kill:two-workers',
  fault: 'two workers on the queue; SIGKILL one of them 3 times, restarting it each time',
  async run(context) {
    await context.chaos.stack.processes.addWorker();
    await context.withFaultMidFlow({ count: context.orders, at: 0.2 }, () => killRepeatedly(context, 'worker', 3));
  },
};
