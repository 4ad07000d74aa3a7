import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has exited, for whatever reason. */
  readonly exited: Promise<number | null>;
  /** Resolves once the process has exited and its output has all been read (its last lines passed on). */
  readonly closed: Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnManagedOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
  /** Receives each line the process prints on stdout or stderr. Lines are dropped when absent. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export function spawnManaged(name: string, command: string, args: string[], options: SpawnManagedOptions = {}): ManagedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = (stream: 'stdout' | 'stderr') => {
    let buffered = '';
    return (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) options.onLine?.(line, stream);
    };
  };
  child.stdout?.on('data', relay('stdout'));
  child.stderr?.on('data', relay('stderr'));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  const closed = new Promise<void>((resolve) => {
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });

  async function stop(graceMs = 10_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  }

  return { name, child, exited, closed, stop };
}

/** Once the process has exited and its last lines have been read: they may still be in the pipe when the exit is seen, and a second is plenty. */
export function exitedAndSaid(managed: ManagedProcess): Promise<void> {
  return managed.exited.then(() => Promise.race([managed.closed, sleep(1000, undefined, { ref: false })]));
}
