import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../devstack/repo-root.js';

/** Pinned: a new release generates other cases and checks other things, so moving it is a change of its own. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** A virtual environment per version in the per-user cache the Temporal CLI uses too, so a second run installs nothing. */
export function schemathesisDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'temporal-order-saga', `schemathesis-${SCHEMATHESIS_VERSION}`);
}

/** The `schemathesis` executable, installed from PyPI into its virtual environment if it is not there yet. */
export function ensureSchemathesis(progress: (message: string) => void): string {
  const dir = schemathesisDir();
  const binary = join(dir, 'bin', 'schemathesis');
  if (existsSync(binary)) return binary;
  progress(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${dir} (once)`);
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
  };
  run('python3', ['-m', 'venv', dir]);
  run(join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  return binary;
}

export interface SchemathesisRun {
  binary: string;
  schemaUrl: string;
  token: string;
  /** Test cases per operation in the fuzzing phase; the examples and coverage phases add their own. */
  maxExamples: number;
  seed: number;
  /** Where the hooks log every request. */
  callLog: string;
  /** schemathesis's own output. */
  outputFile: string;
  /** It is killed past this, and the run fails: a fuzz run must end by itself. */
  timeoutMs: number;
  /** Aborting kills it (the runner's Ctrl-C). */
  signal: AbortSignal;
}

export interface SchemathesisResult {
  exitCode: number | null;
  timedOut: boolean;
  /** Its summary's "N generated, ..." line. */
  summary: string;
}

/**
 * One schemathesis run against the API's live /openapi.json: valid and invalid cases (mode all), in
 * the examples, coverage and fuzzing phases, checking no 5xx and problem+json for every 4xx.
 */
export function runSchemathesis(run: SchemathesisRun): Promise<SchemathesisResult> {
  const args = [
    'run',
    run.schemaUrl,
    '--header',
    `Authorization: Bearer ${run.token}`,
    '--checks',
    'not_a_server_error,client_errors_are_problem_json',
    '--mode',
    'all',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(run.maxExamples),
    '--seed',
    String(run.seed),
    // Two cores: more workers only queue behind each other.
    '--workers',
    '2',
    // Prefer: wait may hold a request 30 s.
    '--request-timeout',
    '40',
    '--generation-database',
    'none',
    '--no-color',
  ];
  const output = createWriteStream(run.outputFile);
  const child = spawn(run.binary, args, {
    // Its crash cache (.schemathesis/) goes beside the output, not into the work tree.
    cwd: dirname(run.outputFile),
    env: { ...process.env, SCHEMATHESIS_HOOKS: join(REPO_ROOT, 'fuzz', 'schemathesis_hooks.py'), FUZZ_CALL_LOG: run.callLog, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let summary = '';
  let tail = '';
  const read = (chunk: Buffer) => {
    output.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4096);
    const match = tail.match(/^\s*(\d+ generated[^\n]*)$/m);
    if (match) summary = match[1]!.trim();
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, run.timeoutMs);
  const kill = () => child.kill('SIGKILL');
  run.signal.addEventListener('abort', kill, { once: true });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', kill);
      output.end(() => resolve({ exitCode, timedOut, summary }));
    });
  });
}
