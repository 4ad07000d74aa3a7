/**
 * `npx tsx bench/profile/intake-cpu.ts` (with the variables below): the API's CPU per accepted order,
 * measured inside one process. The app (createApp, as src/api/main.ts builds it) answers POST /orders
 * through `app.request()`, so no HTTP server or load generator shares the measurement; the
 * Temporal client and PostgreSQL client work is counted, as it is the API's. The figure is
 * `process.cpuUsage()` over N requests, divided by N. Run against a stack started by
 * intake-cpu-stack.ts, it needs: DATABASE_URL, TEMPORAL_ADDRESS, PAYLOAD_KEYS, BENCH_ADMIN_TOKEN,
 * BENCH_API_TOKENS_FILE; INTAKE_CPU_N (default 1000) and INTAKE_CPU_CONCURRENCY (default 16).
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/api/app.js';
import { connectDatabase } from '../../src/db/client.js';
import { orderDataConverter, payloadCodecFromConfig } from '../../src/platform/codec/index.js';
import { loadApiConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { connectClient, temporalSettings } from '../../src/platform/temporal-connection.js';
import { BENCH_ORDER_BODY } from '../load/place-order.js';

const env = { ...process.env, API_TOKENS_FILE: process.env.BENCH_API_TOKENS_FILE, LOG_LEVEL: 'info' };
const config = loadApiConfig(env);
const codec = payloadCodecFromConfig(config);
// The API's logger writes JSON lines to stdout, which the stack pipes to a file; here they go to /dev/null, as costly.
const logger = createLogger({ name: 'api', level: 'info', pretty: false, destination: (await import('pino')).pino.destination('/dev/null') });
const database = connectDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
const settings = temporalSettings(env);
const temporal = await connectClient(settings, { dataConverter: orderDataConverter(codec) });
const app = createApp({
  db: database.db,
  temporal,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  logger,
  temporalUi: { url: config.TEMPORAL_UI_URL, namespace: settings.namespace },
  codec: codec && { codec, allowedOrigins: config.CODEC_CORS_ORIGINS },
  tokens: config.tokens,
  overload: { orderRateLimits: { customerLimit: 1e9, adminLimit: 1e9 }, maxIntakeInFlight: 1000 },
});

const run = randomBytes(4).toString('hex');
let sequence = 0;
async function placeOrders(count: number, concurrency: number): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < count) {
      next++;
      const response = await app.request('/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${run}-${sequence++}`, authorization: `Bearer ${process.env.BENCH_ADMIN_TOKEN}` },
        body: BENCH_ORDER_BODY,
      });
      if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
}

const n = Number(process.env.INTAKE_CPU_N ?? 1000);
const concurrency = Number(process.env.INTAKE_CPU_CONCURRENCY ?? 16);
await placeOrders(Math.min(200, n), concurrency); // warm-up: JIT, prepared statements, connections
const before = process.cpuUsage();
const startedAt = performance.now();
await placeOrders(n, concurrency);
const cpu = process.cpuUsage(before);
const wallMs = performance.now() - startedAt;
process.stdout.write(
  `${JSON.stringify({ label: process.env.INTAKE_CPU_LABEL ?? '', orders: n, cpuMsPerOrder: +((cpu.user + cpu.system) / 1000 / n).toFixed(2), ordersPerSecond: +((n * 1000) / wallMs).toFixed(1) })}\n`,
);
await temporal.connection.close();
await database.close();
process.exit(0);
