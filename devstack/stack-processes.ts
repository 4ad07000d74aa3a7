import type { Env } from '../src/platform/config.js';
import type { ManagedProcess } from './child-process.js';
import type { DevStackUrls } from './dev-stack.js';
import { freePort } from './free-port.js';
import { answers200, STACK_SERVICES, waitForWorkerPolling } from './stack-services.js';
import { waitFor } from './wait-for.js';

export type StackServiceName = (typeof STACK_SERVICES)[number]['name'];

/**
 * The stack's processes one at a time, for the fault experiments (`npm run chaos`): what an
 * operator's bad day does to them. A process stopped here is not reported as a crash, and
 * `DevStack.stop()` still stops whatever is running at the end.
 */
export interface StackProcesses {
  /** Sends `signal` (SIGKILL by default) to a service (`worker`, `api`, `payments`, or an added worker) and resolves once it is gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a service that was killed again, with the same environment, and resolves once it answers. */
  restart(name: string): Promise<void>;
  /** One more worker on the same task queue, with metrics ports of its own; resolves with its name once it polls. */
  addWorker(): Promise<string>;
  /** Stops the stack's embedded PostgreSQL (SIGINT, a fast shutdown), or starts it again on the same port and data. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Stops the Temporal dev server, or starts it again on the same port and SQLite file. */
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  /** The services' current process ids, by name. */
  pids(): Record<string, number | undefined>;
}

interface StoppableServer {
  stop(): Promise<void>;
}

/** What the stack hands over: its services, how to spawn one, and how to (re)start its two servers. */
export interface StackProcessInternals {
  urls: DevStackUrls;
  taskQueue: string;
  readyTimeoutMs: number;
  services: Map<string, ManagedProcess>;
  spawnService(name: string, entry: string, env?: Env): ManagedProcess;
  meantToExit(process: object): void;
  temporal: { current(): StoppableServer | undefined; start(): Promise<void> };
  /** Absent when the stack runs on an external DATABASE_URL. */
  postgres?: { current(): StoppableServer | undefined; start(): Promise<void> };
}

export function controlStackProcesses(stack: StackProcessInternals): StackProcesses {
  const entries = new Map<string, { entry: string; env: Env }>(STACK_SERVICES.map(({ name, entry }) => [name, { entry, env: {} }]));
  const deadline = { timeoutMs: stack.readyTimeoutMs, intervalMs: 250 };

  async function ready(name: string, service: ManagedProcess): Promise<void> {
    if (name === 'api') await waitFor('the API to be ready', () => answers200(`${stack.urls.api}/ready`), deadline);
    else if (name === 'payments') await waitFor('the payment gateway', () => answers200(`${stack.urls.payments}/health`), deadline);
    else await waitForWorkerPolling(stack.urls.temporalAddress, stack.taskQueue, stack.readyTimeoutMs, service.child.pid);
  }

  function serviceNamed(name: string): ManagedProcess {
    const service = stack.services.get(name);
    if (!service) throw new Error(`The stack has no service "${name}" (it has ${[...stack.services.keys()].join(', ')})`);
    return service;
  }

  async function stopServer(server: StoppableServer | undefined, what: string): Promise<void> {
    if (!server) throw new Error(`The stack runs no ${what} of its own`);
    stack.meantToExit(server);
    await server.stop();
  }

  return {
    async kill(name, signal = 'SIGKILL') {
      const service = serviceNamed(name);
      if (service.child.exitCode !== null || service.child.signalCode !== null) return;
      stack.meantToExit(service);
      service.child.kill(signal);
      await service.exited;
    },
    async restart(name) {
      const old = serviceNamed(name);
      if (old.child.exitCode === null && old.child.signalCode === null) throw new Error(`${name} is still running: kill it first`);
      const { entry, env } = entries.get(name)!;
      const service = stack.spawnService(name, entry, env);
      await ready(name, service);
    },
    async addWorker() {
      const name = `worker-${[...stack.services.keys()].filter((key) => key.startsWith('worker')).length + 1}`;
      const env = { METRICS_PORT: String(await freePort()), SDK_METRICS_PORT: String(await freePort()) };
      entries.set(name, { entry: entries.get('worker')!.entry, env });
      await ready(name, stack.spawnService(name, entries.get(name)!.entry, env));
      return name;
    },
    stopPostgres: () => stopServer(stack.postgres?.current(), 'PostgreSQL'),
    async startPostgres() {
      if (!stack.postgres) throw new Error('The stack runs no PostgreSQL of its own');
      await stack.postgres.start();
    },
    stopTemporal: () => stopServer(stack.temporal.current(), 'Temporal dev server'),
    startTemporal: () => stack.temporal.start(),
    pids: () => Object.fromEntries([...stack.services].map(([name, service]) => [name, service.child.pid])),
  };
}
