import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { apiSchema, workerSchema } from '../../src/platform/config.js';
import { TEMPORAL_CONNECTION_VARIABLES } from '../../src/platform/temporal-connection.js';
import { repoPath } from './support/compose.js';
import { deployLinter } from './support/lint-tools.js';

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value: string }[];
  envFrom: ({ configMapRef: { name: string } } | { secretRef: { name: string } })[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> } & Record<string, string>;
    minAvailable?: number;
    ports?: { port: number; targetPort: string }[];
    template: { spec: { terminationGracePeriodSeconds: number; securityContext: { runAsNonRoot: boolean }; containers: Container[] } };
  };
}

const K8S = 'deploy/k8s';
const files = readdirSync(repoPath(K8S)).filter((name) => name.endsWith('.yaml'));
const manifests = files.flatMap((file) => parseAllDocuments(readFileSync(repoPath(`${K8S}/${file}`), 'utf8')).map((doc) => doc.toJS() as Manifest));
const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
const container = (name: string) => find('Deployment', name).spec.template.spec.containers[0]!;
const portNumber = (c: Container, name: string) => c.ports.find((p) => p.name === name)?.containerPort;

/** No cluster here: the manifests are checked as files, and linted with kube-score. They have not been applied. */
describe('the Kubernetes manifests (deploy/k8s)', () => {
  it('run the API and the workers from the image, two of each, as non-root, with resource requests and limits', () => {
    for (const [name, command] of [
      ['orders-api', 'api'],
      ['orders-worker', 'worker'],
    ] as const) {
      const deployment = find('Deployment', name);
      expect(deployment.spec.replicas, name).toBe(2);
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot, name).toBe(true);
      expect(container(name).args, name).toEqual([command]);
      expect(Object.keys(container(name).resources.requests).sort(), name).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      expect(Object.keys(container(name).resources.limits).sort(), name).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    }
  });

  it('probe the API’s readiness on /ready and its liveness on /health, on its HTTP port; the worker’s liveness on its metrics port', () => {
    const api = container('orders-api');
    expect(api.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(api.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(portNumber(api, 'http')).toBe(Number(api.env.find((e) => e.name === 'PORT')?.value));
    const worker = container('orders-worker');
    expect(worker.livenessProbe?.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
    expect(portNumber(worker, 'metrics')).toBe(Number(worker.env.find((e) => e.name === 'METRICS_PORT')?.value));
  });

  it('let in-flight activities finish before the kill: the grace period outlasts SHUTDOWN_GRACE_MS', () => {
    const graceMs = Number(container('orders-worker').env.find((e) => e.name === 'SHUTDOWN_GRACE_MS')?.value);
    expect(find('Deployment', 'orders-worker').spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(graceMs);
  });

  it('keep a worker running through voluntary disruptions, and route the API Service to the API’s pods', () => {
    const workerLabels = find('Deployment', 'orders-worker').spec.selector.matchLabels;
    expect(find('PodDisruptionBudget', 'orders-worker').spec).toMatchObject({ minAvailable: 1, selector: { matchLabels: workerLabels } });
    const service = find('Service', 'orders-api');
    expect(service.spec.selector).toEqual(find('Deployment', 'orders-api').spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http' }]);
  });

  it('set only variables the programs read, and take every secret from the orders-secrets Secret', () => {
    const temporal: readonly string[] = TEMPORAL_CONNECTION_VARIABLES;
    const config = find('ConfigMap', 'orders-config').data!;
    for (const [name, schema] of [
      ['orders-api', apiSchema],
      ['orders-worker', workerSchema],
    ] as const) {
      const known = (key: string) => key in schema.shape || temporal.includes(key);
      expect(
        container(name)
          .env.map((e) => e.name)
          .filter((key) => !known(key)),
        name,
      ).toEqual([]);
      expect(container(name).envFrom).toEqual([{ configMapRef: { name: 'orders-config' } }, { secretRef: { name: 'orders-secrets' } }]);
    }
    // The shared ConfigMap goes to both, so each key must be one that one of them reads and the other ignores harmlessly.
    expect(Object.keys(config).filter((key) => !(key in apiSchema.shape || key in workerSchema.shape || temporal.includes(key)))).toEqual([]);
    const text = files.map((file) => readFileSync(repoPath(`${K8S}/${file}`), 'utf8')).join('\n');
    expect(text).not.toMatch(/PAYLOAD_KEYS:|API_TOKENS:|PAYMENT_GATEWAY_SECRET:|DATABASE_URL:|kind: Secret/);
  });

  const kubeScore = deployLinter('kube-score');
  it.skipIf(!kubeScore)('pass kube-score v1.20.0 with no warning or critical finding (install: scripts/install-deploy-linters.sh)', async () => {
    const { stdout } = await promisify(execFile)(kubeScore!, ['score', '--output-format', 'ci', ...files.map((file) => repoPath(`${K8S}/${file}`))]);
    const findings = stdout.split('\n').filter((line) => /^\[(WARNING|CRITICAL)\]/.test(line));
    expect(findings).toEqual([]);
    expect(stdout).toContain('[OK] orders-worker');
  });
});
