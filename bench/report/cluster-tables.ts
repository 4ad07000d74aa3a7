import type { ClusterScaleResult } from '../phases/cluster-scale.js';
import { ms, num, times, type Table } from './table.js';

/** Phase 9: one row per measurement, then the ratios, all from the same run. */
export function clusterScaleTables(result: ClusterScaleResult): Table[] {
  const measured: Table = {
    title: `Phase 9: one worker vs two, dev server vs cluster (the cluster started in ${num(result.clusterStartSeconds)} s)`,
    headers: ['server', 'workers', 'orders', 'completed/s', 'POST → COMPLETED p50', 'p99', 'CPU ms per order', 'foreign cores'],
    rows: result.runs.map((run) => [
      run.server,
      String(run.workers),
      num(run.orders),
      num(run.perSecond, 1),
      `${ms(run.toFinalStatusMs.p50)} ms`,
      `${ms(run.toFinalStatusMs.p99)} ms`,
      num(run.cpuMsPerOrder, 1),
      num(run.foreignCores, 2),
    ]),
  };
  const { twoOverOne, clusterOverDevServer } = result.ratios;
  const ratios: Table = {
    title: 'Phase 9: ratios (orders per second, same run)',
    headers: ['ratio', 'value'],
    rows: [
      ['two workers / one, dev server', times(twoOverOne['dev server'])],
      ['two workers / one, cluster', times(twoOverOne.cluster)],
      ['cluster / dev server, one worker', times(clusterOverDevServer['1'])],
      ['cluster / dev server, two workers', times(clusterOverDevServer['2'])],
    ],
  };
  return [measured, ratios];
}
