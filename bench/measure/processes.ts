import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { COMPILED_WORKER_MARK } from '../../devstack/worker-memory.js';

/**
 * What each process of the stack costs, read from /proc: CPU time from `stat`, memory from
 * `status`. Linux only, like the rest of the dev stack's launchers.
 */

/** Clock ticks per second for utime/stime; 100 on every Linux this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

export type ProcessRole = 'worker' | 'api' | 'payments' | 'temporal' | 'postgres' | 'bench' | 'other' | 'machine';

/**
 * The roles a report shows. `foreign` is the machine's busy time that none of our processes
 * spent: other people's builds and tests on a shared machine. A phase with much of it was disturbed.
 */
export const ROLES: readonly string[] = ['bench', 'api', 'worker', 'payments', 'temporal', 'postgres', 'foreign'];

/** Pseudo-PID under which a snapshot keeps the whole machine's busy CPU seconds. */
const MACHINE = -1;

function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return (total - ticks[3]! - ticks[4]!) / CLOCK_TICKS_PER_SECOND;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // it exited
  }
}

/** `stat` fields after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, 'stat');
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  // After the name: state(0) ppid(1) ... utime(11) stime(12).
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : undefined;
}

export interface Memory {
  /** Resident now, and its high-water mark since start (or since `resetPeakRss`), in MB (10^6 bytes). */
  rssMB: number;
  peakRssMB: number;
}

export function memory(pid: number): Memory | undefined {
  const status = readProc(pid, 'status');
  if (!status) return undefined;
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMB: (kib('VmRSS') * 1024) / 1e6, peakRssMB: (kib('VmHWM') * 1024) / 1e6 };
}

/** Sets VmHWM back to the current RSS (Linux `clear_refs` value 5), so a phase's peak is its own. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function roleOf(pid: number, benchPid: number): ProcessRole {
  if (pid === benchPid) return 'bench';
  const command = (readProc(pid, 'cmdline') ?? '').replaceAll('\0', ' ');
  if (command.includes('src/worker/main.ts') || command.includes(COMPILED_WORKER_MARK)) return 'worker';
  if (command.includes('src/api/main.ts')) return 'api';
  if (command.includes('simulators/payment-gateway/main.ts')) return 'payments';
  if (command.includes('server start-dev')) return 'temporal';
  if (command.includes('postgres')) return 'postgres';
  return 'other';
}

/** Every process below `root` (and `root` itself), by role: the stack's services, Temporal and PostgreSQL with its backends. */
export function processTree(root: number = process.pid): Map<number, ProcessRole> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const ppid = Number(statFields(pid)?.[1]);
    if (Number.isInteger(ppid)) parents.set(pid, ppid);
  }
  const tree = new Map<number, ProcessRole>([[root, roleOf(root, root)]]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        // PostgreSQL's backends are children of the postmaster; they are PostgreSQL whatever their title.
        tree.set(pid, tree.get(ppid) === 'postgres' ? 'postgres' : roleOf(pid, root));
        grew = true;
      }
    }
  }
  return tree;
}

export function findWorkerPid(root: number = process.pid): number {
  const workers = [...processTree(root)].filter(([, role]) => role === 'worker');
  if (workers.length !== 1) throw new Error(`Expected one worker process below ${root}, found ${workers.length}`);
  return workers[0]![0];
}

/** CPU seconds per process at one moment; the difference of two is what a phase cost each role. */
export type CpuSnapshot = Map<number, { role: ProcessRole; seconds: number }>;

export function cpuSnapshot(root: number = process.pid): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map([[MACHINE, { role: 'machine', seconds: machineBusySeconds() }]]);
  for (const [pid, role] of processTree(root)) {
    const seconds = cpuSeconds(pid);
    if (seconds !== undefined) snapshot.set(pid, { role, seconds });
  }
  return snapshot;
}

export interface CpuUse {
  /** CPU seconds spent by the role's processes during the interval. */
  seconds: number;
  /** The same as a share of one core over the interval: 1.0 is one core busy all the time. */
  cores: number;
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, wallMs: number): Record<string, CpuUse> {
  const byRole: Record<string, CpuUse> = {};
  let ours = 0;
  for (const [pid, { role, seconds }] of after) {
    if (pid === MACHINE) continue;
    const spent = seconds - (before.get(pid)?.seconds ?? 0);
    const use = (byRole[role] ??= { seconds: 0, cores: 0 });
    use.seconds += spent;
    ours += spent;
  }
  const machine = (after.get(MACHINE)?.seconds ?? 0) - (before.get(MACHINE)?.seconds ?? 0);
  byRole.foreign = { seconds: Math.max(0, machine - ours), cores: 0 };
  for (const use of Object.values(byRole)) use.cores = wallMs > 0 ? use.seconds / (wallMs / 1000) : Number.NaN;
  return byRole;
}

/**
 * CPU seconds per thread of one process, by thread name: in the worker, `node` is the main thread
 * (activities, the SDK's JavaScript), the workflow code runs in a worker thread, `tokio-*` are
 * the SDK core's Rust threads, and the V8 and libuv helpers do GC and I/O.
 */
export function threadCpuSeconds(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    const stat = readProc(pid, `task/${tid}/stat`);
    if (!stat) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND });
  }
  return threads;
}

/** What each kind of thread spent between two readings, grouped by name with digits dropped. */
export function threadCpuBetween(before: ReturnType<typeof threadCpuSeconds>, after: ReturnType<typeof threadCpuSeconds>): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const [tid, { name, seconds }] of after) {
    const group = name.replace(/[\d]+$/, '').replace(/[-_ ]+$/, '') || name;
    byName[group] = (byName[group] ?? 0) + seconds - (before.get(tid)?.seconds ?? 0);
  }
  return Object.fromEntries(
    Object.entries(byName)
      .filter(([, seconds]) => seconds >= 0.05)
      .sort((a, b) => b[1] - a[1]),
  );
}

/** Samples one process's RSS at an interval, for a timeline and a peak that does not depend on VmHWM. */
export function sampleRss(pid: number, intervalMs = 250) {
  const samples: { atMs: number; rssMB: number }[] = [];
  const take = () => {
    const mem = memory(pid);
    if (mem) samples.push({ atMs: Date.now(), rssMB: mem.rssMB });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
