/**
 * Runs `task(0..count-1)` with at most `concurrency` at once: each finished task makes room for the
 * next. Gives up (rejecting) once `deadlineMs` has passed, so a stuck run still stops by itself.
 */
export async function runClosedLoop<T>(options: {
  count: number;
  concurrency: number;
  deadlineMs: number;
  what: string;
  task: (index: number) => Promise<T>;
}): Promise<T[]> {
  const results = new Array<T>(options.count);
  let next = 0;
  let done = 0;
  let failure: unknown;
  const client = async () => {
    while (failure === undefined && next < options.count) {
      const index = next++;
      try {
        results[index] = await options.task(index);
        done++;
      } catch (error) {
        failure ??= error;
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      failure ??= new Error('deadline');
      reject(new Error(`${options.what}: gave up after ${options.deadlineMs} ms with ${done} of ${options.count} done`));
    }, options.deadlineMs);
  });
  try {
    await Promise.race([Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, client)), deadline]);
  } finally {
    clearTimeout(timer);
  }
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  return results;
}
