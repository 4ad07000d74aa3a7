/**
 * `npm run replay:fixture`: rewrites the workflows generated from the real one: the replay guard's
 * altered workflow (test/replay/altered-workflow.ts says what is altered) and the rollout's build
 * v2 (scripts/rollout/workflow-v2.ts). Run it after changing the workflow.
 */
import { writeFileSync } from 'node:fs';
import { generateAlteredWorkflow, ORDER_WORKFLOW_ALTERATION, repoPath } from '../test/replay/altered-workflow.js';
import { ORDER_WORKFLOW_V2 } from './rollout/workflow-v2.js';

for (const alteration of [ORDER_WORKFLOW_ALTERATION, ORDER_WORKFLOW_V2]) {
  writeFileSync(repoPath(alteration.fixture), generateAlteredWorkflow(alteration));
  console.log(`Wrote ${alteration.fixture} from ${alteration.source}.`);
}
