import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { copyParts, inBuildContext, parseDockerfile, type Stage } from './support/dockerfile.js';
import { deployLinter } from './support/lint-tools.js';

const repo = (path = '') => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const run = promisify(execFile);
const { stages } = parseDockerfile(repo('Dockerfile'));
const dockerignore = readFileSync(repo('.dockerignore'), 'utf8');
const stage = (name: string) => stages.find((s) => s.name === name)!;
const args = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const runtime = stages.at(-1)!;
const ENTRYPOINT = 'deploy/docker/entrypoint.sh';

/** No Docker engine here: these check what can be checked from the files alone. The image has not been built. */
describe('the Dockerfile', () => {
  it('has three stages: production dependencies, the workflow bundle, and the runtime image, last', () => {
    expect(stages.map((s) => s.name)).toEqual(['production-dependencies', 'workflow-bundle', 'runtime']);
    expect(stage('workflow-bundle').from).toBe('production-dependencies');
  });

  it('installs production dependencies only, and the runtime image takes them from that stage without installing anything', () => {
    expect(args(stage('production-dependencies'), 'RUN')).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    expect(args(runtime, 'RUN')).toEqual([]);
    const copies = args(runtime, 'COPY').map((a) => copyParts({ keyword: 'COPY', args: a }));
    expect(copies).toContainEqual({ from: 'production-dependencies', sources: ['/app/node_modules'], destination: './node_modules' });
  });

  it('prebuilds the workflow bundles with the build script, and points the worker at the plain one', () => {
    const built = args(stage('workflow-bundle'), 'RUN').join(' ');
    expect(built).toContain('scripts/bundle-workflows.ts --out dist/workflow-bundle.js');
    expect(built).toContain('scripts/bundle-workflows.ts --tracing --out dist/workflow-bundle-traced.js');
    const copies = args(runtime, 'COPY').map((a) => copyParts({ keyword: 'COPY', args: a }));
    expect(copies).toContainEqual({ from: 'workflow-bundle', sources: ['/app/dist'], destination: './dist' });
    expect(args(runtime, 'ENV').join(' ')).toContain('WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
    expect(args(runtime, 'WORKDIR')).toEqual(['/app']);
  });

  it('runs as a non-root user, by number, so that Kubernetes’ runAsNonRoot can verify it', () => {
    const users = args(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it('copies only paths that exist in the repository and that .dockerignore lets into the build context', () => {
    const sources = stages.flatMap((s) =>
      args(s, 'COPY')
        .map((a) => copyParts({ keyword: 'COPY', args: a }))
        .filter((copy) => copy.from === undefined)
        .flatMap((copy) => copy.sources),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(repo(source)), source).toBe(true);
      expect(inBuildContext(dockerignore, source), source).toBe(true);
    }
  });

  it('keeps local data, secrets, host node_modules, .git and tests out of the build context', () => {
    for (const path of [
      '.data/payload-keys',
      '.data/api-tokens',
      'node_modules/tsx/package.json',
      '.git/HEAD',
      'test/e2e/orders-http.test.ts',
      'src/activities/inventory.test.ts',
      '.env',
    ]) {
      expect(inBuildContext(dockerignore, path), path).toBe(false);
    }
    expect(inBuildContext(dockerignore, 'src/activities/inventory.ts')).toBe(true);
  });

  it('starts through an entry point that picks api (the default), worker or payments, each an existing entry file', async () => {
    expect(args(runtime, 'ENTRYPOINT')).toEqual(['["/usr/local/bin/orders-entrypoint"]']);
    expect(args(runtime, 'CMD')).toEqual(['["api"]']);
    expect(args(runtime, 'COPY')).toContain(`${ENTRYPOINT} /usr/local/bin/orders-entrypoint`);
    accessSync(repo(ENTRYPOINT), constants.X_OK);
    await run('sh', ['-n', repo(ENTRYPOINT)]);
    const services: Record<string, string> = {};
    const script = readFileSync(repo(ENTRYPOINT), 'utf8');
    for (const [, name = '', file = ''] of script.matchAll(/^\s*(\w+)\) exec node --import tsx (\S+) ;;$/gm)) services[name] = file;
    expect(services).toEqual({ api: 'src/api/main.ts', payments: 'simulators/payment-gateway/main.ts' });
    for (const file of Object.values(services)) expect(existsSync(repo(file)), file).toBe(true);
    // The worker runs compiled, built in the image by scripts/build-worker.ts, with its memory flags.
    expect(script).toMatch(/^\s*worker\)$[\s\S]*?exec node "\$@" dist\/worker\/main\.mjs ;;$/m);
    expect(args(stage('workflow-bundle'), 'RUN').join(' ')).toContain('scripts/build-worker.ts');
    expect(existsSync(repo('scripts/build-worker.ts'))).toBe(true);
  });

  const hadolint = deployLinter('hadolint');
  it.skipIf(!hadolint)('passes hadolint 2.15.1 with no finding (install: scripts/install-deploy-linters.sh)', async () => {
    const { stdout } = await run(hadolint!, ['--no-color', repo('Dockerfile')]);
    expect(stdout).toBe('');
  });
});
