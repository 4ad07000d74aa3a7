import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDER_WORKFLOW_V2 } from '../../scripts/rollout/workflow-v2.js';
import { generateAlteredWorkflow, ORDER_WORKFLOW_ALTERATION, renderAlteredWorkflow, repoPath, type Alteration } from './altered-workflow.js';

/** Line endings and trailing blanks are an editor's, not a difference in the code. */
const normalised = (text: string) =>
  text
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trimEnd();

function firstDifference(committed: string, generated: string): string {
  const [a, b] = [committed.split('\n'), generated.split('\n')];
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `first difference at line ${at + 1}:\n  committed: ${a[at] ?? '(end of file)'}\n  generated: ${b[at] ?? '(end of file)'}`;
}

const GENERATED: [string, Alteration][] = [
  ['the replay guard altered workflow', ORDER_WORKFLOW_ALTERATION],
  ["the rollout's build v2", ORDER_WORKFLOW_V2],
];

describe('the workflows generated from the real one are it with exactly their stated change', () => {
  it.each(GENERATED)('%s matches what `npm run replay:fixture` generates from src/workflows/order-workflow.ts', (_name, alteration) => {
    const { fixture, source } = alteration;
    const committed = normalised(readFileSync(repoPath(fixture), 'utf8'));
    const generated = normalised(generateAlteredWorkflow(alteration));
    if (committed !== generated) {
      expect.fail(
        `${fixture} is not ${source} with only the stated alteration: one of them changed on its own. ` +
          `Run \`npm run replay:fixture\` and commit the result (the replay test then proves the guard still bites).\n` +
          firstDifference(committed, generated),
      );
    }
  });

  it('refuses to generate a fixture when the workflow no longer has the code the mistake is made in', () => {
    const withoutTheScreen = readFileSync(repoPath(ORDER_WORKFLOW_ALTERATION.source), 'utf8').replaceAll('patched(FRAUD_SCREEN_PATCH)', 'screenIsDue()');
    expect(() => renderAlteredWorkflow(withoutTheScreen)).toThrow(/expects `patched\(FRAUD_SCREEN_PATCH\)` exactly once .* occurs 0 times/);
  });
});
