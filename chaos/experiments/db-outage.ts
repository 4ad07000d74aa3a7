import type { Violation } from '../invariants/index.js';
import type { Experiment, ExperimentContext } from '../run/experiment.js';
import { sampleReady, secondsUntilReady, type ReadyAnswer } from './readiness-probe.js';

const OUTAGE_MS = 15_000;
const READY_AGAIN_DEADLINE_MS = 60_000;

interface OutageSeen {
  readyDuring: ReadyAnswer[];
  readyAgainSeconds: number | undefined;
}

// What run() saw, for expect() of the same run.
const seen = new WeakMap<ExperimentContext, OutageSeen>();

const violation = (rule: string, detail: string): Violation => ({ group: 'availability', rule, orderId: null, detail });

/**
 * The issue's db-outage contract, beyond the invariants: activities retry; every POST /orders the
 * API could not take while PostgreSQL was down was a 503 problem+json with Retry-After; no 500, and
 * no request left without an answer (the client gives up on one after 15 s: a hang is an ERR); GET
 * /ready said PostgreSQL was down throughout and up again after. The slowest answer is reported,
 * not bounded: on two loaded cores even the 202s before the fault take seconds.
 */
function outageViolations(context: ExperimentContext, activityRetries: number): Violation[] {
  const found: Violation[] = [];
  const { readyDuring, readyAgainSeconds } = seen.get(context) ?? { readyDuring: [], readyAgainSeconds: undefined };
  const during = context.tally.shapesOf('fault');
  if (activityRetries === 0) found.push(violation('activities-not-retried', 'no activity attempt beyond the first in any order history'));
  if (during.unavailable === 0) found.push(violation('no-503-during-outage', `POST /orders answers during the outage: ${context.tally.summary('fault') || 'none'}`));
  if (during.withoutProblemJson > 0) found.push(violation('503-not-problem-json', `${during.withoutProblemJson} of ${during.unavailable} 503s`));
  if (during.withoutRetryAfter > 0) found.push(violation('503-without-retry-after', `${during.withoutRetryAfter} of ${during.unavailable} 503s`));
  for (const status of ['500', 'ERR'] as const) {
    const count = context.tally.count(status);
    if (count > 0) found.push(violation(status === '500' ? 'api-500' : 'api-no-answer', `${count} POST /orders answered ${status} (${context.tally.summary()})`));
  }
  const saidUp = readyDuring.filter((a) => a.status !== 503 || a.database === 'ok');
  if (readyDuring.length === 0 || saidUp.length > 0)
    found.push(violation('ready-not-down', `GET /ready during the outage: ${readyDuring.map((a) => `${a.status} database=${a.database}`).join(', ') || 'never asked'}`));
  if (readyAgainSeconds === undefined)
    found.push(violation('ready-not-up', `GET /ready did not report PostgreSQL ok within ${READY_AGAIN_DEADLINE_MS / 1000} s of its start`));
  return found;
}

export const dbOutage: Experiment = {
  name: 'db-outage',
  fault: `stop PostgreSQL for ${OUTAGE_MS / 1000} s, then start it again`,
  async run(context) {
    let readyAgain: Promise<number | undefined> = Promise.resolve(undefined);
    let readyDuring: ReadyAnswer[] = [];
    await context.withFaultMidFlow({ count: context.orders, at: 0.3 }, async () => {
      const { processes, urls } = context.chaos.stack;
      await processes.stopPostgres();
      [readyDuring] = await Promise.all([sampleReady(urls.api, Date.now() + OUTAGE_MS), context.hold(OUTAGE_MS)]);
      await processes.startPostgres();
      // The fault ends here, so the drain time counts from PostgreSQL's start; /ready is watched meanwhile.
      readyAgain = secondsUntilReady(urls.api, READY_AGAIN_DEADLINE_MS);
    });
    const readyAgainSeconds = await readyAgain;
    seen.set(context, { readyDuring, readyAgainSeconds });
    const during = context.tally.shapesOf('fault');
    context.note(`API answers to POST /orders while PostgreSQL was down: ${context.tally.summary('fault') || 'none'}; the slowest took ${during.slowestMs} ms`);
    context.note(
      `GET /ready while down: ${readyDuring.map((a) => `${a.status}/${a.database}`).join(' ')}; ok again ${readyAgainSeconds ?? '—'} s after PostgreSQL started`,
    );
  },
  expect: (outcome, context) => outageViolations(context, outcome.retries.activityRetries),
};
