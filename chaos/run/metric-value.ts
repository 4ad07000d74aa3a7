/** The sum of a Prometheus counter's series on a /metrics page, or undefined when the page has no such metric (or does not answer). */
export async function scrapeCounter(metricsUrl: string, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(3000) })).text();
    const values = text
      .split('\n')
      .filter((line) => line.startsWith(name) && /^[a-z_]+(\{[^}]*\})? /.test(line) && line.split(/[{ ]/)[0] === name)
      .map((line) => Number(line.trim().split(' ').pop()));
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
  } catch {
    return undefined;
  }
}
