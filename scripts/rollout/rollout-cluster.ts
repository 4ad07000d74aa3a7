import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeClusterPorts } from '../../devstack/cluster-ports.js';
import { databaseOf } from '../../devstack/cluster-stack.js';
import { startTemporalCluster, type TemporalCluster } from '../../devstack/cluster-temporal.js';
import { createDatabaseIfMissing, postgresUrl } from '../../devstack/embedded-postgres.js';
import { startStackPostgres, type StackPostgres } from '../../devstack/stack-servers.js';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../devstack/temporal-dev-server.js';
import { ensureTemporalServerBinaries } from '../../devstack/temporal-server-build.js';
import type { Env } from '../../src/platform/config.js';

export interface RolloutCluster {
  /** The cluster's frontend. */
  address: string;
  /** An empty database of the rollout's own, on the cluster's PostgreSQL. */
  databaseUrl: string;
  /** Which processes run: `frontend`, `history-1`, …, `ui`. */
  processes: string[];
  stop(): Promise<void>;
}

/**
 * `npm run rollout -- --cluster`: the Temporal part of `npm run cluster` alone (PostgreSQL, then
 * frontend, two history processes, matching and worker as processes of their own), on free ports
 * and in a temporary folder. The app's own processes are the rollout's, so they are not started.
 * Its one change from `npm run cluster`: the dev server's two drainage intervals (1 s instead of
 * 3 min each), so that v1 reports DRAINED seconds after its last order rather than minutes.
 */
export async function startRolloutCluster(env: Env, progress: (message: string) => void, cli: string): Promise<RolloutCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-rollout-cluster-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  let postgres: StackPostgres | undefined;
  let temporal: TemporalCluster | undefined;
  const stop = async () => {
    await temporal?.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [binaries, ports] = await Promise.all([ensureTemporalServerBinaries(env, progress), freeClusterPorts()]);
    postgres = await startStackPostgres({ dataDir, port: ports.postgres, progress });
    temporal = await startTemporalCluster({
      binaries,
      cli,
      root: join(dataDir, 'temporal'),
      database: databaseOf(postgres.url),
      processes: ports.temporal,
      uiPort: ports.temporalUi,
      env,
      progress,
      dynamicConfig: {
        'matching.wv.VersionDrainageStatusVisibilityGracePeriod': DEV_SERVER_DYNAMIC_CONFIG['matching.wv.VersionDrainageStatusVisibilityGracePeriod'],
        'matching.wv.VersionDrainageStatusRefreshInterval': DEV_SERVER_DYNAMIC_CONFIG['matching.wv.VersionDrainageStatusRefreshInterval'],
      },
    });
    await createDatabaseIfMissing(postgresUrl(ports.postgres, 'postgres'), 'rollout');
    return { address: temporal.frontendAddress, databaseUrl: postgresUrl(ports.postgres, 'rollout'), processes: [...temporal.processes.keys()], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
