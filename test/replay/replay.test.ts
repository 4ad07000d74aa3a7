import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { payloadBytesAsText } from '../support/payload-text.js';
import { isEncryptedHistory, readHistoryFiles, ranActivities } from './history-files.js';
import { replayFailures, replayHistoryFiles } from './replay-histories.js';

/** The workflow with the fraud screen inserted before the charge without `patched()`. */
const ALTERED_WORKFLOWS_PATH = fileURLToPath(new URL('./fixtures/index.ts', import.meta.url));

const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

// A broken replay is what one test here expects: the assertions report it, the logs need not.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
});

describe('replaying the committed order histories against the workflow code', () => {
  it('replays every history in test/replay/histories against the current workflow bundle without a nondeterminism', async () => {
    const files = readHistoryFiles();

    const started = performance.now();
    const outcomes = await replayHistoryFiles({ codePath: inject('workflowBundlePath') }, files);
    const elapsedMs = Math.round(performance.now() - started);
    console.log(`Replayed ${files.length} order histories in ${elapsedMs} ms`);

    expect(outcomes.map((o) => o.file)).toEqual(files.map((f) => f.file));
    expect(replayFailures(outcomes)).toEqual([]);
  });

  it('replays the histories recorded with the payload codec only with it: they hold no payment token in plain text', async () => {
    const encrypted = readHistoryFiles().filter((file) => isEncryptedHistory(file.file));
    expect(encrypted.length).toBeGreaterThan(0);
    for (const { file, json } of encrypted) expect(payloadBytesAsText(json), file).not.toMatch(/tok_/);

    const withoutCodec = await replayHistoryFiles({ codePath: inject('workflowBundlePath') }, encrypted, () => undefined);
    for (const { file, error } of withoutCodec) expect(error, `${file} replayed without the codec`).toBeDefined();
  });

  it('refuses a workflow that runs a new step before the charge without patched(): every order that reached the charge fails replay', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: ALTERED_WORKFLOWS_PATH, logger: quietBundler });
    const chargedWithoutScreen = readHistoryFiles().filter((file) => {
      // Local activities count too: a lean order screens for fraud as a local activity.
      const activities = ranActivities(file);
      return activities.includes('chargePayment') && !activities.includes('screenForFraud');
    });
    expect(chargedWithoutScreen.length).toBeGreaterThan(0);

    const outcomes = await replayHistoryFiles({ code }, chargedWithoutScreen);

    expect(outcomes.map((o) => o.file)).toEqual(chargedWithoutScreen.map((f) => f.file));
    for (const { file, error } of outcomes) {
      expect(error, `${file} replayed cleanly against the altered workflow`).toBeInstanceOf(DeterminismViolationError);
      expect(error?.name).toBe('DeterminismViolationError');
      expect(error?.message).toMatch(/nondeterminism/);
      // The SDK names both sides: the command the code produced and the event the history holds.
      expect(error?.message).toMatch(/screenForFraud/);
      expect(error?.message).toMatch(/chargePayment/);
    }
    console.log(`Altered workflow, first failure:\n${replayFailures(outcomes)[0]}`);
  });
});
