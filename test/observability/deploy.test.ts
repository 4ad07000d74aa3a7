import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';
import { ORDER_SEARCH_ATTRIBUTE_TYPES } from '../../src/workflows/search-attributes.js';
import { allPanels, loadDashboard, metricNamesIn, type Dashboard } from './support/dashboard.js';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const readYaml = async <T>(path: string) => parse(await readFile(repo(path), 'utf8')) as T;
const run = promisify(execFile);

interface Compose {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; volumes?: string[]; entrypoint?: string[]; ports?: string[] }>;
}
interface ScrapeConfig {
  job_name: string;
  metrics_path: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; port: number }[];
}

describe('the Grafana dashboard', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await loadDashboard();
  });

  it('is a dashboard Grafana can provision: uid, title, schema version, unique panel ids, panels on the 24-column grid', () => {
    expect(dashboard).toMatchObject({ uid: 'orders-saga', title: 'Orders saga', schemaVersion: expect.any(Number) });
    const panels = allPanels(dashboard);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      expect(panel.gridPos.h, panel.title).toBeGreaterThan(0);
    }
  });

  it('queries the provisioned Prometheus data source in every panel, each target with its own refId and an expression', async () => {
    const datasources = await readYaml<{ datasources: { uid: string; type: string; url: string }[] }>('deploy/grafana/provisioning/datasources/prometheus.yml');
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    for (const panel of allPanels(dashboard).filter((p) => p.type !== 'row')) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: 'prometheus' });
      const targets = panel.targets ?? [];
      expect(targets.length, panel.title).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t.refId)).size, panel.title).toBe(targets.length);
      for (const target of targets) expect(metricNamesIn(target.expr).length, target.expr).toBeGreaterThan(0);
    }
  });

  it('shows orders per second by outcome, failure reasons, p50/p95/p99 order duration, compensations, activity retries and worker slots', () => {
    const expressions = (title: string) =>
      allPanels(dashboard)
        .find((p) => p.title === title)
        ?.targets?.map((t) => t.expr) ?? [];
    expect(expressions('Orders per second by outcome').join(' ')).toMatch(/orders_completed_total.*orders_failed_total.*orders_cancelled_total/s);
    expect(expressions('Failure reasons')).toEqual([expect.stringContaining('sum by (reason) (increase(orders_failed_total')]);
    expect(expressions('Order duration (acceptance to final status)').map((e) => e.match(/histogram_quantile\(([\d.]+)/)?.[1])).toEqual(['0.5', '0.95', '0.99']);
    expect(expressions('Compensations')).toEqual([expect.stringContaining('orders_compensations_total')]);
    expect(expressions('Activity retries (failed attempts)')).toEqual([expect.stringContaining('temporal_activity_execution_failed_total')]);
    expect(expressions('Worker task slots').join(' ')).toMatch(/temporal_worker_task_slots_available.*temporal_worker_task_slots_used/s);
    // That these names are the ones really exported is checked against live endpoints in metrics.test.ts.
  });
});

describe('docker-compose provisions Prometheus and Grafana for the API, the worker and the SDK metrics', () => {
  let compose: Compose;
  beforeAll(async () => {
    compose = await readYaml<Compose>('docker-compose.yml');
  });

  it('scrapes the API on its internal metrics port :9466, and every worker replica on :9464 (its metrics) and :9465 (the SDK’s)', async () => {
    const { scrape_configs: jobs } = await readYaml<{ scrape_configs: ScrapeConfig[] }>('deploy/prometheus/prometheus.yml');
    const targets = Object.fromEntries(
      jobs.map((job) => [
        job.job_name,
        [...(job.static_configs ?? []).flatMap((c) => c.targets), ...(job.dns_sd_configs ?? []).flatMap((c) => c.names.map((n) => `${n}:${c.port}`))],
      ]),
    );
    expect(targets).toEqual({ 'orders-api': ['api:9466'], 'orders-worker': ['worker:9464'], 'temporal-sdk': ['worker:9465'] });
    expect(new Set(jobs.map((job) => job.metrics_path))).toEqual(new Set(['/metrics']));
    // …and the services listen there, on every interface of their container.
    expect(compose.services.api?.environment).toMatchObject({ PORT: '3000', HOST: '0.0.0.0', API_METRICS_PORT: '9466', METRICS_HOST: '0.0.0.0' });
    expect(compose.services.worker?.environment).toMatchObject({ METRICS_PORT: '9464', SDK_METRICS_PORT: '9465', METRICS_HOST: '0.0.0.0' });
  });

  it('mounts the scrape config into Prometheus, and the provisioning and dashboard into Grafana', async () => {
    expect(compose.services.prometheus?.volumes).toContain('./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(compose.services.grafana?.volumes).toEqual(
      expect.arrayContaining(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
    const dashboards = await readYaml<{ providers: { options: { path: string } }[] }>('deploy/grafana/provisioning/dashboards/orders.yml');
    expect(dashboards.providers.map((p) => p.options.path)).toEqual(['/var/lib/grafana/dashboards']);
  });
});

describe('docker-compose keeps the inside in', () => {
  let compose: Compose;
  beforeAll(async () => {
    compose = await readYaml<Compose>('docker-compose.yml');
  });

  it('publishes the API port (its gateway, in front of the replicas), and the Web UI on loopback only; the database, Temporal’s frontend, the simulator and the metrics stay internal', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name} ${port}`));
    expect(published.sort()).toEqual(['api-gateway 3000:3000', 'temporal-ui 127.0.0.1:8233:8080']);
  });

  it('has no default secret: each is required from the environment, and the services get them', async () => {
    const text = await readFile(repo('docker-compose.yml'), 'utf8');
    expect(text).not.toMatch(/postgres:postgres@|POSTGRES_PASSWORD: postgres|GF_AUTH_ANONYMOUS/);
    const required = (name: string) => `\${${name}:?set ${name}}`;
    expect(compose.services.postgresql?.environment?.POSTGRES_PASSWORD).toBe(required('POSTGRES_PASSWORD'));
    expect(compose.services.api?.environment).toMatchObject({ API_TOKENS: required('API_TOKENS') });
    expect(compose.services.worker?.environment).toMatchObject({ PAYMENT_GATEWAY_SECRET: required('PAYMENT_GATEWAY_SECRET') });
    expect(compose.services.payments?.environment).toMatchObject({
      PAYMENT_GATEWAY_SECRET: required('PAYMENT_GATEWAY_SECRET'),
      PAYMENTS_ADMIN_SECRET: required('PAYMENTS_ADMIN_SECRET'),
    });
    // The API and the workers take theirs from the shared x-app-environment block.
    const shared = (compose as unknown as { 'x-app-environment': Record<string, string> })['x-app-environment'];
    for (const url of [shared.DATABASE_URL, compose.services.payments?.environment?.DATABASE_URL]) expect(url).toContain(required('POSTGRES_PASSWORD'));
  });
});

describe('the search attributes step for a real cluster (deploy/temporal/create-search-attributes.sh)', () => {
  const script = repo('deploy/temporal/create-search-attributes.sh');

  it('names the same attributes and types as the workflow code, and docker-compose runs it after creating the namespace', async () => {
    const listed = [...(await readFile(script, 'utf8')).matchAll(/for attribute in ([^;]+);/g)].flatMap(([, list]) => list!.trim().split(/\s+/));
    const expected = Object.entries(ORDER_SEARCH_ATTRIBUTE_TYPES).map(([name, type]) => `${name}=${type}`);
    expect(listed.sort()).toEqual([...expected].sort());
    expect((await readYaml<Compose>('docker-compose.yml')).services['temporal-namespace']?.entrypoint).toEqual([
      '/bin/sh',
      '-c',
      '/deploy/temporal/create-namespace.sh && /deploy/temporal/create-search-attributes.sh',
    ]);
  });

  it('creates OrderStatus, CustomerId and OrderTotal on a new namespace with the real CLI, and changes nothing when run again', async () => {
    const cli = inject('temporalCliPath');
    const address = inject('temporalAddress');
    const namespace = `orders-${randomUUID().slice(0, 8)}`;
    await run(cli, ['operator', 'namespace', 'create', '--namespace', namespace, '--address', address]);
    const customAttributes = () =>
      waitFor(`namespace ${namespace} to answer`, async () => {
        const { stdout } = await run(cli, ['operator', 'search-attribute', 'list', '--namespace', namespace, '--address', address, '--output', 'json']);
        return (JSON.parse(stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
      });
    expect(await customAttributes()).toEqual({});

    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_CLI: cli, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace };
    const first = await run('sh', [script], { env });
    const second = await run('sh', [script], { env });

    expect(await customAttributes()).toEqual({
      OrderStatus: 'INDEXED_VALUE_TYPE_KEYWORD',
      CustomerId: 'INDEXED_VALUE_TYPE_KEYWORD',
      OrderTotal: 'INDEXED_VALUE_TYPE_DOUBLE',
    });
    expect(first.stdout).toContain('Created search attribute OrderTotal (Double)');
    expect(second.stdout.trim().split('\n')).toEqual([
      `Search attribute OrderStatus exists in namespace ${namespace}`,
      `Search attribute CustomerId exists in namespace ${namespace}`,
      `Search attribute OrderTotal exists in namespace ${namespace}`,
    ]);
  });
});
