import { freePort } from './free-port.js';
import type { ClusterProcess } from './cluster-config.js';

/** Every port `npm run cluster` listens on. The app's two replicas each have their own; the proxy has the API port. */
export interface ClusterPorts {
  /** The round-robin proxy in front of both APIs: the address clients use. */
  api: number;
  apis: [number, number];
  apiMetrics: [number, number];
  payments: number;
  workerMetrics: [number, number];
  sdkMetrics: [number, number];
  postgres: number;
  temporalUi: number;
  temporal: ClusterProcess[];
}

const temporalProcess = (name: string, service: ClusterProcess['service'], grpcPort: number, membershipPort: number, metricsPort: number, httpPort?: number) => ({
  name,
  service,
  grpcPort,
  membershipPort,
  metricsPort,
  ...(httpPort ? { httpPort } : {}),
});

/**
 * The same public ports as `npm start` (API 3000, Web UI 8233, frontend 7233, metrics 9464–9466),
 * the second replicas ten above; PostgreSQL on 54330, so both stacks can run side by side.
 */
export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  api: 3000,
  apis: [3010, 3011],
  apiMetrics: [9466, 9476],
  payments: 3001,
  workerMetrics: [9464, 9474],
  sdkMetrics: [9465, 9475],
  postgres: 54330,
  temporalUi: 8233,
  temporal: [
    temporalProcess('frontend', 'frontend', 7233, 6933, 8000, 7243),
    temporalProcess('history-1', 'history', 7234, 6934, 8001),
    temporalProcess('history-2', 'history', 7244, 6944, 8002),
    temporalProcess('matching', 'matching', 7235, 6935, 8003),
    temporalProcess('worker', 'worker', 7239, 6939, 8004),
  ],
};

/** Free ports for every process, for tests that run a cluster beside whatever else is running. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  // freePort never hands the same port out twice in one process, and every one is below 32768,
  // which the membership ports need (their column is a smallint).
  const pair = async (): Promise<[number, number]> => [await freePort(), await freePort()];
  return {
    api: await freePort(),
    apis: await pair(),
    apiMetrics: await pair(),
    payments: await freePort(),
    workerMetrics: await pair(),
    sdkMetrics: await pair(),
    postgres: await freePort(),
    temporalUi: await freePort(),
    temporal: [
      temporalProcess('frontend', 'frontend', await freePort(), await freePort(), await freePort(), await freePort()),
      temporalProcess('history-1', 'history', await freePort(), await freePort(), await freePort()),
      temporalProcess('history-2', 'history', await freePort(), await freePort(), await freePort()),
      temporalProcess('matching', 'matching', await freePort(), await freePort(), await freePort()),
      temporalProcess('worker', 'worker', await freePort(), await freePort(), await freePort()),
    ],
  };
}
