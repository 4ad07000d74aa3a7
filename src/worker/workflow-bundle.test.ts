import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestPathFor, prebuiltWorkflowBundle, type WorkflowBundleManifest } from './workflow-bundle.js';

describe('the worker’s prebuilt workflow bundle (WORKFLOW_BUNDLE_PATH)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-manifest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const bundleAt = (name: string, manifest: Partial<WorkflowBundleManifest> | undefined) => {
    const path = join(dir, name);
    writeFileSync(path, '// bundle');
    if (manifest) writeFileSync(manifestPathFor(path), JSON.stringify({ workflowInterceptorModules: [], builtAt: '', ...manifest }));
    return path;
  };

  it('keeps its manifest beside it: workflow-bundle.js → workflow-bundle.manifest.json', () => {
    expect(manifestPathFor('/app/dist/workflow-bundle.js')).toBe('/app/dist/workflow-bundle.manifest.json');
  });

  it('is used by path when its tracing interceptor matches the worker’s tracing setting', () => {
    const plain = bundleAt('plain.js', { tracing: false });
    const traced = bundleAt('traced.js', { tracing: true });
    expect(prebuiltWorkflowBundle(plain, { tracing: false })).toEqual({ codePath: plain });
    expect(prebuiltWorkflowBundle(traced, { tracing: true })).toEqual({ codePath: traced });
  });

  it('is refused when it does not match: workflow spans would be lost, or every span would log a sink error', () => {
    expect(() => prebuiltWorkflowBundle(bundleAt('plain.js', { tracing: false }), { tracing: true })).toThrow(/built without the tracing interceptor, but tracing is on/);
    expect(() => prebuiltWorkflowBundle(bundleAt('traced.js', { tracing: true }), { tracing: false })).toThrow(/built with the tracing interceptor, but tracing is off/);
  });

  it('is refused, naming the build command, when the file or its manifest is missing', () => {
    expect(() => prebuiltWorkflowBundle(join(dir, 'absent.js'), { tracing: false })).toThrow(/npm run build:workflows/);
    expect(() => prebuiltWorkflowBundle(bundleAt('no-manifest.js', undefined), { tracing: false })).toThrow(/no bundle and manifest/);
  });
});
