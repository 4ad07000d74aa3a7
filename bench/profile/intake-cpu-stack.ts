/**
 * `npx tsx bench/profile/intake-cpu-stack.ts LABEL=COMMAND ...`: starts the benchmark's stack once,
 * pauses its worker, and runs each command (typically `npx tsx bench/profile/intake-cpu.ts` after
 * checking out a version of src/api) with the stack's addresses in its environment, in turn, so
 * that versions of the intake are compared back to back on one stack. See intake-cpu.ts.
 */
import { execSync } from 'node:child_process';
import { startBenchStack } from '../bench-stack.js';
import { BENCH_SQLITE_PRAGMAS, SCRATCH_DIR } from '../settings.js';

const bench = await startBenchStack({ sqlitePragmas: BENCH_SQLITE_PRAGMAS, env: {}, logDir: SCRATCH_DIR, progress: (m) => process.stderr.write(`${m}\n`) });
bench.pauseWorker();
try {
  const env = {
    ...process.env,
    DATABASE_URL: bench.stack.urls.database,
    TEMPORAL_ADDRESS: bench.stack.urls.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    PAYLOAD_KEYS: bench.stack.payloadKeys ?? '',
    PAYLOAD_ENCRYPTION: bench.stack.payloadKeys ? 'on' : 'off',
    BENCH_ADMIN_TOKEN: bench.stack.secrets.adminToken,
    BENCH_API_TOKENS_FILE: `${bench.stack.dataDir}/api-tokens`,
  };
  for (const spec of process.argv.slice(2)) {
    const at = spec.indexOf('=');
    execSync(spec.slice(at + 1), { stdio: 'inherit', env: { ...env, INTAKE_CPU_LABEL: spec.slice(0, at) } });
  }
} finally {
  await bench.stop();
}
