import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { gatewaySchema, loadGatewayConfig } from '../../simulators/payment-gateway/config.js';
import { tokenEntryLine } from '../../src/platform/api-tokens.js';
import { apiSchema, loadApiConfig, loadWorkerConfig, workerSchema } from '../../src/platform/config.js';
import { TEMPORAL_CONNECTION_VARIABLES, temporalSettings } from '../../src/platform/temporal-connection.js';
import { TEST_PAYLOAD_KEYS } from '../support/payload-codec.js';
import { containerPort, loadCompose, repoPath, type ComposeService } from './support/compose.js';

/** What an operator's `.env` holds (see the compose file's header): values of the right shape, none real. */
const DOT_ENV = {
  POSTGRES_PASSWORD: 'compose-test-postgres-password',
  PAYMENT_GATEWAY_SECRET: 'compose-test-gateway-signing-secret',
  PAYMENTS_ADMIN_SECRET: 'compose-test-gateway-admin-secret',
  GRAFANA_ADMIN_PASSWORD: 'compose-test-grafana',
  PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
  API_TOKENS: tokenEntryLine('admin', 'ops', 'compose-test-admin-token'),
};
const compose = loadCompose(DOT_ENV);
const services = Object.entries(compose.services);
const read = (path: string) => readFileSync(repoPath(path), 'utf8');
const imageName = (service: ComposeService) => service.image?.split(':')[0];
/** The services built from this repository, by the entry point's command. */
const built = (command: string) => services.filter(([, s]) => s.build !== undefined && s.command?.[0] === command).map(([name, s]) => [name, s] as const);

describe('docker-compose.yml, checked without a Docker engine', () => {
  it('is valid against the Compose Specification’s JSON schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // The file names its meta-schema without the trailing `#` ajv registers draft-07 under; ajv compiles draft-07 by default.
    const { $schema: _, ...schema } = JSON.parse(read('deploy/schemas/compose-spec.json')) as Record<string, unknown>;
    const validate = ajv.compile(schema);
    expect(validate(compose), ajv.errorsText(validate.errors)).toBe(true);
    // …and the check bites: a service with a misspelt key is refused.
    expect(validate({ services: { api: { imag: 'x' } } })).toBe(false);
  });

  it('refuses to start without each secret, as compose does with ${VAR:?}', () => {
    for (const name of Object.keys(DOT_ENV)) {
      const { [name as keyof typeof DOT_ENV]: _, ...without } = DOT_ENV;
      expect(() => loadCompose(without), name).toThrow(new RegExp(`required variable ${name} is missing`));
    }
  });

  it('runs, service for service, the topology npm run cluster runs (the Temporal services in one container)', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['postgresql', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'payments', 'worker', 'api', 'api-gateway', 'prometheus', 'grafana'].sort(),
    );
    expect(compose.services.worker?.deploy?.replicas).toBe(2);
    expect(compose.services.api?.deploy?.replicas).toBe(2);
    expect(imageName(compose.services.temporal!)).toBe('temporalio/server');
    expect(imageName(compose.services['temporal-schema']!)).toBe('temporalio/admin-tools');
    expect(compose.services['temporal-schema']?.entrypoint).toEqual(['/bin/sh', '/deploy/temporal/setup-schema.sh']);
  });

  it('pins every image, and builds the order services from the Dockerfile with a command its entry point knows', () => {
    for (const [name, service] of services) {
      if (service.build !== undefined) {
        expect(['api', 'worker', 'payments'], name).toContain(service.command?.[0]);
      } else {
        expect(service.image, name).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
        expect(service.image, name).not.toMatch(/:latest$/);
      }
    }
    expect(built('api').map(([n]) => n)).toEqual(['api']);
    expect(built('worker').map(([n]) => n)).toEqual(['worker']);
    expect(built('payments').map(([n]) => n)).toEqual(['payments']);
  });

  it('gives every service a restart policy and every long-running one a healthcheck; one-shot jobs are waited for to complete', () => {
    const oneShot = ['temporal-schema', 'temporal-namespace'];
    for (const [name, service] of services) {
      expect(service.restart, name).toBe(oneShot.includes(name) ? 'on-failure' : 'unless-stopped');
      if (!oneShot.includes(name)) expect(service.healthcheck?.test.length, name).toBeGreaterThan(1);
    }
    for (const [name, service] of services) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[target], `${name} → ${target}`).toBeDefined();
        const expected = oneShot.includes(target) ? 'service_completed_successfully' : compose.services[target]?.healthcheck ? 'service_healthy' : 'service_started';
        // Prometheus only needs its targets to exist; it scrapes them whenever they answer.
        if (name === 'prometheus') expect(condition, `${name} → ${target}`).toBe('service_started');
        else expect(condition, `${name} → ${target}`).toBe(expected);
      }
    }
  });

  it('mounts only files and folders that exist in the repository', () => {
    const mounts = services.flatMap(([, s]) => (s.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!));
    expect(mounts.length).toBeGreaterThan(4);
    for (const mount of mounts) expect(existsSync(repoPath(mount)), mount).toBe(true);
  });
});

describe('every environment variable a compose service sets is one its program reads', () => {
  const imageEnvironment = JSON.parse(read('deploy/schemas/image-environment.json')) as {
    images: Record<string, { template?: string; variables: string[]; pattern?: string }>;
  };
  /** The names a vendored config template reads: `.Env.X` (the server's dockerize template) or `env "X"` (the UI server's). */
  const templateVariables = (file: string) => [...read(`deploy/schemas/${file}`).matchAll(/\.Env\.([A-Z0-9_]+)|env "([A-Z0-9_]+)"/g)].map((m) => m[1] ?? m[2]!);
  const readBy = (image: string) => {
    const entry = imageEnvironment.images[image];
    if (!entry) throw new Error(`no environment listed for image ${image} in deploy/schemas/image-environment.json`);
    const names = new Set([...entry.variables, ...(entry.template ? templateVariables(entry.template) : [])]);
    return (name: string) => names.has(name) || (entry.pattern !== undefined && new RegExp(entry.pattern).test(name));
  };
  const keys = (schema: { shape: object }) => Object.keys(schema.shape);
  const temporalConnection: readonly string[] = TEMPORAL_CONNECTION_VARIABLES;

  it('the API and the worker: their config schemas and the Temporal connection; each environment parses with the real loader', () => {
    for (const [command, schema] of [
      ['api', apiSchema],
      ['worker', workerSchema],
    ] as const) {
      for (const [name, service] of built(command)) {
        const unknown = Object.keys(service.environment ?? {}).filter((key) => !keys(schema).includes(key) && !temporalConnection.includes(key));
        expect(unknown, name).toEqual([]);
      }
    }
    const api = loadApiConfig(compose.services.api!.environment!);
    expect(api).toMatchObject({ HOST: '0.0.0.0', PORT: 3000, API_METRICS_PORT: 9466, TEMPORAL_TASK_QUEUE: 'orders' });
    expect(api.tokens).toHaveLength(1);
    expect(loadWorkerConfig(compose.services.worker!.environment!)).toMatchObject({
      PAYMENT_GATEWAY_URL: 'http://payments:3001',
      METRICS_PORT: 9464,
      SDK_METRICS_PORT: 9465,
      WORKFLOW_BUNDLE_PATH: '/app/dist/workflow-bundle.js',
    });
    for (const service of ['api', 'worker']) {
      expect(temporalSettings(compose.services[service]!.environment!)).toMatchObject({ connectionOptions: { address: 'temporal:7233' }, namespace: 'default' });
    }
  });

  it('the payment simulator: its config schema, and the environment parses', () => {
    const environment = compose.services.payments!.environment!;
    expect(Object.keys(environment).filter((key) => !keys(gatewaySchema).includes(key))).toEqual([]);
    expect(loadGatewayConfig(environment)).toMatchObject({ HOST: '0.0.0.0', PAYMENTS_PORT: 3001 });
  });

  it('the third-party images: the server’s config template, the UI server’s config, the sql tool’s flags, the images’ documented variables', () => {
    let checked = 0;
    for (const [name, service] of services.filter(([, s]) => s.image && s.environment)) {
      const reads = readBy(imageName(service)!);
      const environment = Object.keys(service.environment!);
      expect(
        environment.filter((key) => !reads(key)),
        name,
      ).toEqual([]);
      checked += environment.length;
    }
    expect(checked).toBeGreaterThan(15);
    // The lists are not empty by accident: the server's template reads the database settings compose sets.
    expect(['DB', 'POSTGRES_SEEDS', 'POSTGRES_PWD', 'VISIBILITY_DBNAME'].every(readBy('temporalio/server'))).toBe(true);
    expect(readBy('temporalio/server')('POSTGRES_PASSWORD')).toBe(false);
  });
});

describe('every port in docker-compose.yml is in the README’s table, for its service', () => {
  const selfHosts = new Set(['127.0.0.1', 'localhost', '0.0.0.0']);
  const serviceNames = new Set(Object.keys(compose.services));
  /** `host:port` references in a text, each to a compose service (or to `self` on loopback). */
  const references = (text: string, self: string) =>
    [...text.matchAll(/(?:^|[/@\s"'])([a-z0-9.-]+):(\d{2,5})\b/g)].flatMap(([, host, port]) =>
      selfHosts.has(host!) ? [`${self} ${port}`] : serviceNames.has(host!) ? [`${host} ${port}`] : [],
    );
  const OWN_LISTENERS = ['PORT', 'API_METRICS_PORT', 'METRICS_PORT', 'SDK_METRICS_PORT', 'PAYMENTS_PORT', 'TEMPORAL_UI_PORT'];

  const used = new Set<string>();
  for (const [name, service] of services) {
    for (const entry of service.ports ?? []) {
      const parts = entry.split(':');
      used.add(`${name} ${containerPort(entry)}`);
      used.add(`${name} ${parts.at(-2)}`); // the host port
    }
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (OWN_LISTENERS.includes(key)) used.add(`${name} ${value}`);
      if (key === 'DB_PORT' || key === 'SQL_PORT') used.add(`postgresql ${value}`);
      for (const reference of references(value, name)) used.add(reference);
    }
    for (const reference of references((service.healthcheck?.test ?? []).join(' '), name)) used.add(reference);
  }
  // What the mounted configs reach: Prometheus's scrape targets, nginx's upstream.
  const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: { dns_sd_configs?: { names: string[]; port: number }[] }[] };
  for (const job of prometheus.scrape_configs) for (const sd of job.dns_sd_configs ?? []) for (const host of sd.names) used.add(`${host} ${sd.port}`);
  for (const reference of references(read('deploy/nginx/api.conf'), 'api-gateway')) used.add(reference);
  for (const [, port] of read('deploy/nginx/api.conf').matchAll(/listen (\d+);/g)) used.add(`api-gateway ${port}`);

  const section =
    read('README.md')
      .split('### Ports, environment and health endpoints')[1]
      ?.split(/\n##+ /)[0] ?? '';
  const documented = new Set(
    section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| process') && !line.startsWith('|---'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map(([, , service, port]) => `${service!.replace(/`/g, '')} ${port}`),
  );

  it('finds the ports where they are: listeners, published ports, probes, scrape targets, upstreams, URLs', () => {
    expect([...used]).toEqual(expect.arrayContaining(['api 3000', 'api 9466', 'worker 9464', 'worker 9465', 'payments 3001', 'postgresql 5432', 'temporal 7233']));
    expect(documented.size).toBeGreaterThan(8);
  });

  it('documents each one, and documents none that compose does not use', () => {
    expect([...used].filter((port) => !documented.has(port)).sort()).toEqual([]);
    expect([...documented].filter((port) => !used.has(port)).sort()).toEqual([]);
  });
});
