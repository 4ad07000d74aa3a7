import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoPath = (path = '') => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  deploy?: { replicas?: number };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * Compose's interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and
 * `${VAR?message}`, over a given environment: a required variable that is missing throws, as
 * `docker compose config` refuses to go on.
 */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (_, name: string, colon: string, kind: string | undefined, rest: string) => {
    const value = env[name];
    const unset = value === undefined || (colon === ':' && value === '');
    if (!unset) return value;
    if (kind === '?') throw new Error(`required variable ${name} is missing: ${rest}`);
    return kind === '-' ? rest : '';
  });
}

/** Compose interpolates the parsed values, not the text: `X: ${X:-}` is the empty string, not YAML's null. */
function interpolateValues(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateValues(item, env)]));
  return value;
}

/** docker-compose.yml as compose sees it: YAML merge keys (`<<: *anchor`) applied, values interpolated over `env`. */
export function loadCompose(env: Record<string, string>): ComposeFile {
  return interpolateValues(parse(readFileSync(repoPath('docker-compose.yml'), 'utf8'), { merge: true }), env) as ComposeFile;
}

/** The container port of a `ports:` entry: `"127.0.0.1:8233:8080"` → 8080, `"3000:3000"` → 3000. */
export const containerPort = (entry: string) => Number(entry.split(':').at(-1));
