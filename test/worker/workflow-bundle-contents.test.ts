import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, inject, it } from 'vitest';

/**
 * What the workflow bundle holds, read from webpack's module headers (`!*** <path> ***!`) in the
 * bundle the suite's workers run (test/global-setup.ts bundles it as production does). Every
 * package here is loaded into every workflow's sandbox, so one that the workflow does not need
 * costs worker memory for each cached workflow: zod entered once through `domain/money.ts`.
 */
const ALLOWED_PACKAGES = ['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc'];

function bundledModules(code: string): string[] {
  return [...code.matchAll(/!\*\*\* (.+?) \*\*\*!/g)].map((match) => match[1]!);
}

function packageOf(modulePath: string): string | undefined {
  const at = modulePath.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const [scope, name] = modulePath.slice(at + 'node_modules/'.length).split('/');
  return scope!.startsWith('@') ? `${scope}/${name}` : scope;
}

describe('the workflow bundle', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');
  const modules = bundledModules(code);

  it('holds only the SDK’s packages: no zod, no other library', () => {
    expect(modules.length).toBeGreaterThan(10);
    const packages = [...new Set(modules.flatMap((path) => packageOf(path) ?? []))].sort();
    expect(packages).toEqual(ALLOWED_PACKAGES);
  });

  it('holds no Node API, and of our own code only the workflow and the domain', () => {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    expect(modules.filter((path) => builtins.has(path) || /^node:/.test(path))).toEqual([]);
    expect(code).not.toMatch(/require\(["']node:/);
    const ours = modules.filter((path) => path.startsWith('./src/'));
    expect(ours.filter((path) => !/^\.\/src\/(workflows|domain)\//.test(path))).toEqual([]);
  });
});
