import type { RollingDeployReport, RolledOrder } from './rolling-deploy.js';

/** What each build's code schedules first: how an order's history shows which code ran it. */
export const FIRST_STEP = { v1: 'reserveStock', v2: 'screenForFraud' } as const;

/**
 * Everything that would make the rollout a failure, in words; empty when it was clean. The test
 * asserts this list is empty, and the script exits non-zero when it is not.
 */
export function rolloutProblems(report: RollingDeployReport, builds: { v1: string; v2: string }): string[] {
  const problems: string[] = [];
  const { orders } = report;
  const expectedFirst = (buildId: string | undefined) => (buildId === builds.v1 ? FIRST_STEP.v1 : buildId === builds.v2 ? FIRST_STEP.v2 : undefined);
  for (const o of orders) {
    const id = o.orderId.slice(0, 8);
    if (o.error || o.status !== 'COMPLETED') problems.push(`order ${id} ended ${o.status ?? 'without a status'}${o.error ? `: ${o.error}` : ''}`);
    if (o.failedTasks.length > 0) problems.push(`order ${id} had failed workflow tasks: ${o.failedTasks.join('; ')}`);
    if (o.behavior !== 'PINNED') problems.push(`order ${id} is ${o.behavior}, not PINNED`);
    if (o.taskBuildIds.length !== 1 || o.taskBuildIds[0] !== o.pinnedBuildId) {
      problems.push(`order ${id} is pinned to ${o.pinnedBuildId} but its workflow tasks ran on ${o.taskBuildIds.join(', ')}`);
    }
    if (o.placedUnder !== 'switching' && o.placedUnder !== '-' && o.pinnedBuildId !== o.placedUnder) {
      problems.push(`order ${id} was placed while ${o.placedUnder} was current but runs on ${o.pinnedBuildId}`);
    }
    if (o.firstStep !== expectedFirst(o.pinnedBuildId)) problems.push(`order ${id} on ${o.pinnedBuildId} ran ${o.firstStep} first`);
  }
  const inFlight = orders.filter((o) => o.inFlightAtSwitch);
  if (inFlight.length === 0) problems.push('no order was in flight on v1 when v2 became current: the switch proved nothing');
  for (const o of inFlight)
    if (o.pinnedBuildId !== builds.v1) problems.push(`order ${o.orderId.slice(0, 8)} was in flight at the switch but finished on ${o.pinnedBuildId}`);
  if (!orders.some((o) => o.pinnedBuildId === builds.v2)) problems.push('no order ran on v2');
  if (report.v1Drainage.at(-1) !== 'drained') problems.push(`v1 drainage ended ${report.v1Drainage.join(' → ')}, not drained`);
  for (const replay of report.replays) {
    const crossed = replay.what.endsWith(`on ${builds.v2}`) && replay.what.startsWith(builds.v1);
    const failed = Object.values(replay.failures).reduce((a, b) => a + b, 0);
    if (crossed && replay.failures.DeterminismViolationError !== replay.histories) {
      problems.push(`${replay.what}: expected every one to fail with a nondeterminism error, saw ${JSON.stringify(replay.failures)} of ${replay.histories}`);
    }
    if (!crossed && failed > 0) problems.push(`${replay.what}: ${JSON.stringify(replay.failures)} of ${replay.histories} failed replay`);
  }
  return problems;
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

const count = (orders: RolledOrder[], test: (o: RolledOrder) => boolean) => orders.filter(test).length;

/** The rollout as tables: per build, then the timeline, then the replays. */
export function formatRolloutReport(report: RollingDeployReport, builds: { v1: string; v2: string }): string {
  const perBuild = [builds.v1, builds.v2].map((buildId) => {
    const on = report.orders.filter((o) => o.pinnedBuildId === buildId);
    return [
      buildId,
      on.length,
      count(on, (o) => o.placedUnder === 'switching'),
      count(on, (o) => o.inFlightAtSwitch),
      count(on, (o) => o.status === 'COMPLETED'),
      count(on, (o) => o.status !== 'COMPLETED' || o.error !== undefined),
      [...new Set(on.map((o) => o.behavior))].join(', '),
      [...new Set(on.flatMap((o) => o.taskBuildIds))].join(', '),
      [...new Set(on.map((o) => o.firstStep))].join(', '),
      on.reduce((n, o) => n + o.failedTasks.length, 0),
    ];
  });
  const unplaced = count(report.orders, (o) => o.pinnedBuildId === undefined);
  return [
    `Rolling deploy of deployment ${report.deploymentName} on task queue ${report.taskQueue}`,
    '',
    table(
      ['build', 'orders', 'placed during switch', 'in flight at switch', 'completed', 'failed', 'behaviour', 'workflow tasks ran on', 'first step', 'failed tasks'],
      perBuild,
    ),
    ...(unplaced > 0 ? [`${unplaced} orders could not be placed`] : []),
    '',
    table(
      ['at', 'step'],
      report.timeline.map((t) => [`${(t.atMs / 1000).toFixed(1)} s`, t.step]),
    ),
    '',
    table(
      ['replay', 'histories', 'failures'],
      report.replays.map((r) => [r.what, r.histories, Object.keys(r.failures).length ? JSON.stringify(r.failures) : 'none']),
    ),
  ].join('\n');
}
