import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpLoadPlan, HttpLoadRaw } from './http-load.js';

/**
 * A closed loop: `concurrency` clients, each on its own kept-alive connection, each sending its
 * next request as soon as the previous answer is read. Runs in a thread of its own so that the
 * server under test, when it lives in the bench process, has the main thread to itself.
 */
async function run(plan: HttpLoadPlan): Promise<HttpLoadRaw> {
  const url = new URL(plan.url);
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const body = Buffer.from(plan.body);
  const latenciesMs: number[] = [];
  const completedAtMs: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const measureFrom = started + plan.warmupMs;
  const stopAt = measureFrom + plan.durationMs;
  let sequence = 0;
  let sent = 0;

  const send = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': body.length };
      if (plan.token) headers.authorization = `Bearer ${plan.token}`;
      if (plan.idempotencyKeyPrefix) headers['idempotency-key'] = `${plan.idempotencyKeyPrefix}-${sequence++}`;
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(plan.requestTimeoutMs, () => req.destroy(new Error('timeout')));
      req.end(body);
    });

  const client = async () => {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      let outcome: string;
      try {
        outcome = String(await send());
      } catch (error) {
        outcome = (error as Error).message === 'timeout' ? 'timeout' : 'error';
      }
      const doneAt = performance.now();
      sent++;
      if (sentAt < measureFrom || doneAt > stopAt) continue;
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      latenciesMs.push(doneAt - sentAt);
      completedAtMs.push(doneAt - measureFrom);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, client));
  agent.destroy();
  return { latenciesMs, completedAtMs, statuses, measuredMs: plan.durationMs, allRequests: sent };
}

const plan = workerData as HttpLoadPlan;
parentPort!.postMessage(await run(plan));
