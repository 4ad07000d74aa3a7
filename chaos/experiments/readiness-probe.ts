import { setTimeout as sleep } from 'node:timers/promises';

/** One GET /ready: its status and what it said of PostgreSQL ('ok', 'unreachable', 'timeout'), or ERR with no answer. */
export interface ReadyAnswer {
  status: number | 'ERR';
  database: string | undefined;
  ms: number;
}

export async function probeReady(apiUrl: string): Promise<ReadyAnswer> {
  const started = Date.now();
  try {
    const response = await fetch(`${apiUrl}/ready`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json().catch(() => undefined)) as { checks?: { database?: string } } | undefined;
    return { status: response.status, database: body?.checks?.database, ms: Date.now() - started };
  } catch {
    return { status: 'ERR', database: undefined, ms: Date.now() - started };
  }
}

/** GET /ready about once a second until `until` (a time): what an operator's probe sees through a fault. */
export async function sampleReady(apiUrl: string, until: number): Promise<ReadyAnswer[]> {
  const answers: ReadyAnswer[] = [];
  while (Date.now() < until) {
    const answer = await probeReady(apiUrl);
    answers.push(answer);
    await sleep(Math.max(0, Math.min(1000 - answer.ms, until - Date.now())));
  }
  return answers;
}

/** Polls GET /ready until it is 200 with PostgreSQL ok; the seconds that took, or undefined past the deadline. */
export async function secondsUntilReady(apiUrl: string, deadlineMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    const answer = await probeReady(apiUrl);
    if (answer.status === 200 && answer.database === 'ok') return (Date.now() - started) / 1000;
    await sleep(250);
  }
  return undefined;
}
