/**
 * `npm run fuzz [-- --cases N] [--seed S]`: schemathesis against the real stack (separate Temporal dev
 * server, PostgreSQL, gateway, worker and API processes on free ports), as an admin and as a customer.
 * It passes when no answer is 5xx, every 4xx is problem+json, every row and workflow after the run
 * is one a 2xx accepted, and the API is still up. Writes test-output/fuzz/result.json.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeMachine, machineLine } from '../bench/report/machine.js';
import { REPO_ROOT } from '../devstack/repo-root.js';
import { readCallLog, summarizeCalls } from './call-log.js';
import { startFuzzStack, type FuzzStack } from './fuzz-stack.js';
import { ensureSchemathesis, runSchemathesis, SCHEMATHESIS_VERSION, type SchemathesisResult } from './schemathesis.js';
import { auditWrites, takeSnapshot } from './write-audit.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer, not ${process.argv[at + 1]}`);
  return value;
}

const cases = option('cases', 10_000);
const seed = option('seed', randomInt(1, 2 ** 47));
const outDir = join(REPO_ROOT, 'test-output', 'fuzz');
const began = Date.now();
const say = (message: string) => process.stdout.write(`[fuzz ${((Date.now() - began) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
/**
 * The whole run's bound: it always ends. Measured on this 2-core machine: about 10 cases/s alone,
 * 3 to 5 beside other test runs, and under 2 beside the full vitest suite (a 1,000-case admin half hit
 * a bound of 290 s there), so the bound allows about 1.25 cases/s.
 */
const RUN_TIMEOUT_MS = 300_000 + cases * 800;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const callLog = join(outDir, 'calls.jsonl');
const machine = describeMachine();
say(`${cases} cases, seed ${seed}, schemathesis ${SCHEMATHESIS_VERSION}, on ${machineLine(machine)}`);

let fuzz: FuzzStack | undefined;
const interrupted = new AbortController();
// Ctrl-C kills schemathesis; the run then stops the stack in its own `finally`, so nothing is left behind.
const interrupt = () => {
  say('interrupted: stopping schemathesis, then the stack');
  interrupted.abort();
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

const failures: string[] = [];
let exitCode = 1;
try {
  const binary = ensureSchemathesis(say);
  say('starting the stack (Temporal dev server, PostgreSQL, gateway, worker, API) on free ports');
  fuzz = await startFuzzStack({ logDir: outDir, progress: say });
  const { stack } = fuzz;
  let crashed: string | undefined;
  void stack.crashed.then(({ name, how }) => (crashed = `${name} ended (${how})`));
  const schemaUrl = `${stack.urls.api}/openapi.json`;
  const document = (await (await fetch(schemaUrl)).json()) as { paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown }>> };
  // An operation without input (GET /health) has one case to give; the cases go to those with input.
  const operations = Object.values(document.paths)
    .flatMap((methods) => Object.values(methods))
    .filter((operation) => (operation.parameters?.length ?? 0) > 0 || operation.requestBody).length;
  const before = await takeSnapshot(fuzz.database, fuzz.temporal);

  // Half the cases with each token: the admin reaches the catalogue's writes, the customer its own orders and every 403.
  const identities = [
    { name: 'admin', token: stack.secrets.adminToken },
    { name: 'customer', token: stack.secrets.customerToken },
  ];
  const runs: (SchemathesisResult & { identity: string; seconds: number })[] = [];
  for (const [index, identity] of identities.entries()) {
    if (interrupted.signal.aborted) throw new Error('interrupted');
    const startedAt = Date.now();
    const maxExamples = Math.ceil(cases / identities.length / operations);
    say(
      `schemathesis as ${identity.name}: up to ${maxExamples} fuzzing cases for each of the ${operations} operations with input, plus the examples and coverage phases`,
    );
    const result = await runSchemathesis({
      binary,
      schemaUrl,
      token: identity.token,
      maxExamples,
      seed: seed + index,
      callLog,
      outputFile: join(outDir, `schemathesis-${identity.name}.txt`),
      timeoutMs: RUN_TIMEOUT_MS / identities.length,
      signal: interrupted.signal,
    });
    if (interrupted.signal.aborted) throw new Error('interrupted');
    const seconds = (Date.now() - startedAt) / 1000;
    runs.push({ ...result, identity: identity.name, seconds });
    say(`  ${result.summary || 'no summary'} in ${seconds.toFixed(0)} s (exit ${result.exitCode}${result.timedOut ? ', killed at its time limit' : ''})`);
    if (result.timedOut) failures.push(`schemathesis as ${identity.name} did not finish within ${RUN_TIMEOUT_MS / identities.length / 1000} s`);
    else if (result.exitCode !== 0)
      failures.push(`schemathesis as ${identity.name} reported failures or errors (exit ${result.exitCode}); see test-output/fuzz/schemathesis-${identity.name}.txt`);
  }

  const calls = summarizeCalls(readCallLog(callLog));
  const show = (label: string, list: { method: string; path: string; status: number | null; contentType?: string | null }[]) => {
    if (list.length === 0) return;
    failures.push(`${list.length} ${label}`);
    for (const call of list.slice(0, 10)) say(`  ${call.method} ${call.path.slice(0, 120)} -> ${call.status} ${call.contentType ?? ''}`);
  };
  show('answers were 5xx', calls.serverErrors);
  show('4xx answers were not application/problem+json', calls.clientErrorsNotProblemJson);
  show('requests got no answer', calls.unanswered);
  if (calls.calls < cases) failures.push(`only ${calls.calls} requests were sent, fewer than the ${cases} cases asked for`);

  const unexplained = await auditWrites(fuzz.database, fuzz.temporal, before, calls.accepted);
  for (const { what, ids } of unexplained) failures.push(`${what}: ${ids.join(', ')}`);

  for (const probe of ['/health', '/ready']) {
    const status = await fetch(stack.urls.api + probe, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status,
      (error: Error) => error.message,
    );
    if (status !== 200) failures.push(`after the run, ${probe} answered ${status}`);
  }
  if (crashed) failures.push(`a process of the stack died: ${crashed}`);

  const seconds = (Date.now() - began) / 1000;
  const statuses = [...calls.byStatus].sort(([a], [b]) => a.localeCompare(b));
  const accepted = calls.accepted;
  const lines = [
    `requests sent: ${calls.calls} in ${seconds.toFixed(0)} s (${runs.map((r) => `${r.identity}: ${r.summary}`).join('; ')})`,
    `answers by status: ${statuses.map(([status, count]) => `${status} ×${count}`).join(', ')}`,
    `accepted writes: ${accepted.orders.size} orders, ${accepted.cancelledOrders.size} cancels, ${accepted.createdProducts.size} products created, ${accepted.changedProducts.size} changed, ${accepted.stockAdjustments.size} stock adjustments, ${accepted.createdEndpoints.size} webhook endpoints registered, ${accepted.changedEndpoints.size} changed, ${accepted.deletedEndpoints.size} removed`,
    `5xx: ${calls.serverErrors.length}; 4xx not problem+json: ${calls.clientErrorsNotProblemJson.length}; kinds of row or workflow no 2xx explains: ${unexplained.length}`,
  ];
  for (const line of lines) say(line);
  writeFileSync(
    join(outDir, 'result.json'),
    `${JSON.stringify({ machine, seed, casesAsked: cases, requests: calls.calls, seconds, runs, byStatus: Object.fromEntries(statuses), failures }, null, 2)}\n`,
  );
  exitCode = failures.length === 0 ? 0 : 1;
} catch (error) {
  failures.push(`the run broke: ${(error as Error).stack ?? String(error)}`);
} finally {
  await fuzz?.stop().catch((error: Error) => say(`stopping the stack failed: ${error.message}`));
}
if (failures.length > 0) {
  say(`FAILED (${failures.length}):`);
  for (const failure of failures) say(`  - ${failure}`);
} else {
  say(`passed; details in ${relative(REPO_ROOT, outDir)}/`);
}
process.exit(exitCode);
