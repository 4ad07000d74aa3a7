/**
 * Polls `probe` until it returns a value other than undefined, or throws once the deadline passes.
 * The error says what the probe last saw, so a failure explains itself.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastSeen: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastSeen = 'not ready';
    } catch (error) {
      lastSeen = error instanceof Error ? error.message : error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what}; last saw: ${JSON.stringify(lastSeen)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
