import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '../../src/db/schema.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { createApiMetrics } from '../../src/observability/api-metrics.js';
import { serveMetrics, type MetricsServer } from '../../src/observability/metrics-server.js';
import { createWorkerMetrics } from '../../src/worker/metrics.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { freePort } from '../../devstack/free-port.js';
import { createLogger } from '../../src/platform/logger.js';
import { waitFor } from '../../devstack/wait-for.js';
import { installRuntime } from '../../src/worker/runtime.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { allPanels, dashboardMetricNames, loadDashboard, type Dashboard } from './support/dashboard.js';
import { productionWorker } from './support/production-worker.js';
import { configForTest, onPath, rulesForTest, startPrometheus, type PrometheusConfig, type RuleFile, type RunningPrometheus } from './support/prometheus.js';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const readYaml = async <T>(path: string) => parse(await readFile(repo(path), 'utf8')) as T;
const run = promisify(execFile);

const PROMETHEUS = onPath('prometheus');
const PROMTOOL = onPath('promtool');
const skipWithoutPrometheus = !PROMETHEUS && process.env.CI !== 'true';
if (skipWithoutPrometheus) console.warn('Skipping the Prometheus test: no prometheus on PATH (apt-get install prometheus; .ci/run does).');

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'LTD-001', name: 'Limited edition desk mat', unitPrice: 4500, currency: 'USD', stockAvailable: 1 },
];
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'] as const;
/** Grafana's range variables, as a test-sized window: every order of this test falls inside it. */
const withGrafanaRanges = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m').replaceAll('$__interval', '5s');

describe.skipIf(skipWithoutPrometheus)('a real Prometheus scraping the API, the worker and the SDK, with the project’s config, rules and dashboard', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'orders-prometheus-'));
  let stack: OrderStack;
  let workerMetricsServer: MetricsServer;
  let prometheus: RunningPrometheus;
  let dashboard: Dashboard;
  let configPath: string;

  beforeAll(async () => {
    if (!PROMETHEUS) throw new Error('No prometheus on PATH: CI must run this test (apt-get install prometheus).');
    const sdkPort = await freePort();
    installRuntime({ logger: createLogger({ name: 'prometheus-test', level: 'silent', pretty: false }), sdkMetricsAddress: `127.0.0.1:${sdkPort}` });
    const workerMetrics = createWorkerMetrics();
    workerMetricsServer = await serveMetrics(workerMetrics.registry, { host: '127.0.0.1', port: 0 });
    stack = await startOrderStack({ catalogue: CATALOGUE, workerMetrics, api: { metrics: createApiMetrics() }, createWorker: productionWorker() });

    const rulesPath = join(workDir, 'orders-rules.yml');
    writeFileSync(rulesPath, stringify(rulesForTest(await readYaml<RuleFile>('deploy/prometheus/orders-rules.yml'))));
    const targets = { 'orders-api': new URL(stack.apiMetricsUrl).host, 'orders-worker': new URL(workerMetricsServer.url).host, 'temporal-sdk': `127.0.0.1:${sdkPort}` };
    configPath = join(workDir, 'prometheus.yml');
    writeFileSync(configPath, stringify(configForTest(await readYaml<PrometheusConfig>('deploy/prometheus/prometheus.yml'), targets, [rulesPath])));
    prometheus = await startPrometheus({ binary: PROMETHEUS, configPath, dataDir: join(workDir, 'data'), port: await freePort() });
    // Counters must be seen before the orders move them, or rate() has nothing to compare against.
    await waitFor('every target scraped and up', async () => {
      const seen = await prometheus.targets();
      if (seen.length === 3 && seen.every((t) => t.health === 'up')) return true;
      throw new Error(JSON.stringify(seen));
    });
    dashboard = await loadDashboard();

    const place = (request: ReturnType<typeof anOrderRequest>) => call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
    const placed = await Promise.all([
      ...Array.from({ length: 4 }, () => place(anOrderRequest({ customerId: 'cus_prom' }))),
      ...Array.from({ length: 4 }, () => place(anOrderRequest({ customerId: 'cus_prom', paymentToken: TEST_TOKENS.declined }))),
      place(anOrderRequest({ customerId: 'cus_prom', items: [{ sku: 'LTD-001', quantity: 2 }] })),
    ]);
    expect((await place(anOrderRequest({ customerId: 'cus_prom', items: [{ sku: 'NOPE-1', quantity: 1 }] }))).status).toBe(400);
    const settled = await Promise.all(placed.map((order) => waitForOrderStatus(stack.apiUrl, order.body.id, [...FINAL])));
    expect(settled.map((o) => o.failureReason ?? o.status).sort()).toEqual([...Array(4).fill('COMPLETED'), 'OUT_OF_STOCK', ...Array(4).fill('PAYMENT_DECLINED')].sort());
    await Promise.all(placed.map((order) => stack.temporal.workflow.getHandle(orderWorkflowId(order.body.id)).result()));
  });
  afterAll(async () => {
    await prometheus?.stop();
    await stack?.stop();
    await workerMetricsServer?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('has samples of every metric the Grafana dashboard queries', async () => {
    const names = [...dashboardMetricNames(dashboard)];
    expect(names.length).toBeGreaterThan(8);
    await waitFor('a sample of every dashboard metric', async () => {
      const answers = await Promise.all(names.map(async (name) => [name, await prometheus.query(`count_over_time(${name}[5m])`)] as const));
      const missing = answers.filter(([, answer]) => answer.status !== 'success' || answer.data?.result.length === 0).map(([name]) => name);
      if (missing.length === 0) return true;
      throw new Error(`no samples of ${missing.join(', ')}`);
    });
  });

  it('runs every dashboard expression: each parses (a parse error is a 400) and returns series', async () => {
    expect((await prometheus.query('sum(rate(orders_total[1m]')).httpStatus).toBe(400);
    const expressions = allPanels(dashboard).flatMap((panel) => (panel.targets ?? []).map((t) => ({ panel: panel.title, expr: withGrafanaRanges(t.expr) })));
    expect(expressions.length).toBeGreaterThan(10);
    await waitFor('every dashboard expression to return series', async () => {
      const failing: string[] = [];
      for (const { panel, expr } of expressions) {
        const answer = await prometheus.query(expr);
        if (answer.httpStatus !== 200 || answer.status !== 'success') failing.push(`${panel}: ${expr}: HTTP ${answer.httpStatus} ${answer.error}`);
        else if (answer.data!.result.length === 0) failing.push(`${panel}: ${expr}: no series`);
      }
      if (failing.length === 0) return true;
      throw new Error(failing.join('\n'));
    });
  });

  it('records the accepted, compensated and finished rates from the rule file', async () => {
    const value = async (expr: string) => {
      const result = (await prometheus.query(expr)).data?.result ?? [];
      return result.length > 0 ? Number(result[0]!.value[1]) : undefined;
    };
    const recorded = [
      'orders:accepted:rate5m',
      'orders:compensated:rate5m',
      'orders:finished:rate5m{status="FAILED", reason="PAYMENT_DECLINED"}',
      'orders:finished:rate5m{status="COMPLETED"}',
    ];
    // Rules run on what was scraped, a second or two behind the counters: wait until each has seen the orders.
    await waitFor('every recording rule to have a value above 0', async () => {
      const values = await Promise.all(recorded.map(async (expr) => [expr, await value(expr)] as const));
      const zero = values.filter(([, v]) => !(v! > 0));
      if (zero.length === 0) return true;
      throw new Error(zero.map(([expr, v]) => `${expr} = ${v}`).join(', '));
    });
    expect(await value('orders:finished:rate5m{status="FAILED", reason="OUT_OF_STOCK"}')).toBeGreaterThan(0);
    expect(await value('orders:finished:rate5m{status="CANCELLED"}')).toBe(0);
  });

  it('fires OrderCompensationRateHigh when four of nine orders were declined and unwound', async () => {
    const alert = await waitFor(
      'OrderCompensationRateHigh to fire',
      async () => {
        const alerts = await prometheus.alerts();
        const found = alerts.find((a) => a.labels.alertname === 'OrderCompensationRateHigh');
        if (found?.state === 'firing') return found;
        throw new Error(found ? `it is ${found.state} at ${found.value}` : `alerts: ${JSON.stringify(alerts)}`);
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(alert.labels.severity).toBe('warning');
    // Four declined of nine accepted (the out-of-stock one reserved nothing to release): 4/9, give or
    // take rate()'s extrapolation, which differs a little between series scraped at different moments.
    expect(Number(alert.value)).toBeGreaterThan(0.3);
    expect(Number(alert.value)).toBeLessThan(0.6);
    expect(alert.annotations.summary).toMatch(/^\d\d(\.\d+)?% of orders are being compensated \(over 5 minutes\)$/);
  });

  it('fires OrdersStuck for an order no worker picks up, and lets it go once a worker finishes it', async () => {
    await stack.stopWorker();
    const stuck = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_prom_stuck' }));
    expect(stuck.body.status).toBe('PENDING');
    // Twenty minutes of waiting, written into the read model rather than waited for: the gauge reads created_at.
    await stack.database.db
      .update(orders)
      .set({ createdAt: sql`now() - interval '20 minutes'` })
      .where(eq(orders.id, stuck.body.id));
    const firing = await waitFor(
      'OrdersStuck to fire',
      async () => {
        const found = (await prometheus.alerts()).find((a) => a.labels.alertname === 'OrdersStuck');
        if (found?.state === 'firing') return found;
        throw new Error(found ? `it is ${found.state} at ${found.value}` : 'not pending yet');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(firing.labels).toMatchObject({ status: 'PENDING', severity: 'critical' });
    expect(firing.annotations.summary).toMatch(/^An order has been PENDING for 20m /);

    await stack.startWorker();
    expect((await waitForOrderStatus(stack.apiUrl, stuck.body.id, ['COMPLETED'])).status).toBe('COMPLETED');
    await waitFor('OrdersStuck to resolve', async () => {
      const found = (await prometheus.alerts()).find((a) => a.labels.alertname === 'OrdersStuck');
      if (!found) return true;
      throw new Error(`still ${found.state}`);
    });
  });

  it.skipIf(!PROMTOOL)('passes promtool: the project’s config and rules, and the test’s derived config', async () => {
    const config = await run(PROMTOOL!, ['check', 'config', repo('deploy/prometheus/prometheus.yml')]);
    expect(config.stdout).toContain('SUCCESS: 1 rule files found');
    await run(PROMTOOL!, ['check', 'rules', repo('deploy/prometheus/orders-rules.yml')]);
    await run(PROMTOOL!, ['check', 'config', configPath]);
  });
});

describe('the rule file is where Prometheus and docker-compose look for it', () => {
  it('is listed in prometheus.yml and mounted beside it in the Prometheus container', async () => {
    const config = await readYaml<PrometheusConfig>('deploy/prometheus/prometheus.yml');
    expect(config.rule_files).toEqual(['orders-rules.yml']);
    const compose = await readYaml<{ services: Record<string, { volumes?: string[] }> }>('docker-compose.yml');
    expect(compose.services.prometheus?.volumes).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './deploy/prometheus/orders-rules.yml:/etc/prometheus/orders-rules.yml:ro',
      ]),
    );
  });
});
