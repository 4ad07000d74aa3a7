/**
 * `npm run replay:fixture`: rewrites the replay guard's altered workflow from the real one
 * (test/replay/altered-workflow.ts says what is altered). Run it after changing the workflow.
 */
import { writeFileSync } from 'node:fs';
import { generateAlteredWorkflow, ORDER_WORKFLOW_ALTERATION, repoPath } from '../test/replay/altered-workflow.js';

writeFileSync(repoPath(ORDER_WORKFLOW_ALTERATION.fixture), generateAlteredWorkflow());
console.log(`Wrote ${ORDER_WORKFLOW_ALTERATION.fixture} from ${ORDER_WORKFLOW_ALTERATION.source}.`);
