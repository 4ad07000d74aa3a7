import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnManaged, type ManagedProcess } from '../../../devstack/child-process.js';
import { waitFor } from '../../../devstack/wait-for.js';

/** A program on PATH (Debian's `prometheus` package puts both in /usr/bin), or undefined. */
export function onPath(program: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface PrometheusConfig {
  global?: Record<string, string>;
  rule_files?: string[];
  scrape_configs: { job_name: string; metrics_path?: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: unknown[] }[];
}

export interface RuleFile {
  groups: { name: string; interval?: string; rules: { record?: string; alert?: string; expr: string; for?: string }[] }[];
}

/**
 * The project's scrape config with each job's targets replaced by the test's `host:port`, its rule
 * files by the test's copies, and intervals short enough for a test. Jobs and metric paths stay.
 */
export function configForTest(project: PrometheusConfig, targets: Record<string, string>, ruleFiles: string[], interval = '1s'): PrometheusConfig {
  return {
    global: { ...project.global, scrape_interval: interval, evaluation_interval: interval },
    rule_files: ruleFiles,
    scrape_configs: project.scrape_configs.map(({ static_configs: _static, dns_sd_configs: _dns, ...job }) => {
      const target = targets[job.job_name];
      if (!target) throw new Error(`No test target for the job ${job.job_name}`);
      return { ...job, static_configs: [{ targets: [target] }] };
    }),
  };
}

/** The project's rules, evaluated every `interval` and with every alert's `for` cut to `pendingFor`. */
export function rulesForTest(project: RuleFile, { interval = '1s', pendingFor = '2s' } = {}): RuleFile {
  return {
    groups: project.groups.map((group) => ({ ...group, interval, rules: group.rules.map((rule) => (rule.for ? { ...rule, for: pendingFor } : rule)) })),
  };
}

export interface QueryAnswer {
  /** 200 for a query that ran; 400 for one that does not parse. */
  httpStatus: number;
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

export interface Alert {
  labels: { alertname: string } & Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

export interface RunningPrometheus {
  url: string;
  /** An instant query through /api/v1/query. */
  query(expr: string): Promise<QueryAnswer>;
  alerts(): Promise<Alert[]>;
  targets(): Promise<{ job: string; health: string; lastError: string }[]>;
  /** What it printed, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs the real Prometheus on 127.0.0.1 with this config and its own data folder, until it is ready. */
export async function startPrometheus({
  binary,
  configPath,
  dataDir,
  port,
}: {
  binary: string;
  configPath: string;
  dataDir: string;
  port: number;
}): Promise<RunningPrometheus> {
  const lines: string[] = [];
  const server: ManagedProcess = spawnManaged(
    'prometheus',
    binary,
    [`--config.file=${configPath}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { onLine: (line) => lines.push(line) },
  );
  const url = `http://127.0.0.1:${port}`;
  const get = async (path: string) => {
    const response = await fetch(url + path);
    return { status: response.status, body: (await response.json()) as { status: string; error?: string; data?: unknown } };
  };
  const running: RunningPrometheus = {
    url,
    async query(expr) {
      const { status, body } = await get(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return { httpStatus: status, ...body } as QueryAnswer;
    },
    alerts: async () => ((await get('/api/v1/alerts')).body.data as { alerts: Alert[] }).alerts,
    async targets() {
      const { activeTargets } = (await get('/api/v1/targets')).body.data as { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
      return activeTargets.map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }));
    },
    output: () => lines.join('\n'),
    stop: () => server.stop(5_000),
  };
  try {
    await waitFor(`Prometheus ready on ${url}`, async () => {
      if (server.child.exitCode !== null) throw new Error(`exited ${server.child.exitCode}: ${running.output()}`);
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
    });
  } catch (error) {
    await server.stop(1_000);
    throw error;
  }
  return running;
}
