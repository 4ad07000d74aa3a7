/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    if (line.startsWith('#') || !line.trim()) return [];
    const match = SAMPLE.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map(([, key, value]) => [key!, value!.replace(/\\(.)/g, '$1')]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

/** GET a metrics endpoint and parse it; fails on anything but a 200 in the Prometheus text format. */
export async function scrape(url: string): Promise<Metrics> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/plain')) throw new Error(`${url} answered ${contentType}, not the Prometheus text format`);
  return new Metrics(parseExposition(await response.text()));
}

export class Metrics {
  constructor(readonly samples: Sample[]) {}

  /** The one sample with this name whose labels include `labels`; 0 when there is none. Several is an error. */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.matching(name, labels);
    if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}: ${JSON.stringify(found.map((s) => s.labels))}`);
    return found[0]?.value ?? 0;
  }

  /** The sum over every sample with this name whose labels include `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((total, sample) => total + sample.value, 0);
  }

  matching(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
  }

  names(): Set<string> {
    return new Set(this.samples.map((s) => s.name));
  }
}
