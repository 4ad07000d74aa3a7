import { fileURLToPath } from 'node:url';
import type { Alteration } from '../../test/replay/altered-workflow.js';

/**
 * Build v2 of the order workflow for the rolling deploy (`npm run rollout`): a real change, made
 * the way a team would make it once orders are pinned to their build, with no `patched()`. The
 * fraud screen moves ahead of the reservation, so an order refused as fraud never holds stock.
 *
 * For a v1 history this is a nondeterminism error at the first step (`reserveStock` recorded,
 * `screenForFraud` issued): only pinning keeps v1's orders away from v2's workers. The rollout
 * shows exactly that, and replays each version's histories against its own bundle.
 *
 * Generated from src/workflows/order-workflow.ts by `npm run replay:fixture`, like the replay
 * guard's altered workflow, so v2 is always today's workflow plus this one change.
 */
export const ORDER_WORKFLOW_V2: Alteration = {
  source: 'src/workflows/order-workflow.ts',
  fixture: 'scripts/rollout/order-workflow-v2.ts',
  definedIn: 'scripts/rollout/workflow-v2.ts',
  purpose: [
    'ROLLOUT BUILD v2, run only by `npm run rollout` and test/rollout/: v1 is src/workflows as it is.',
    'Its workers join the Worker Deployment as a second version; v1 orders stay pinned to v1. The change:',
  ],
  mistake:
    'the fraud screen runs first, before the reservation, so an order refused as fraud never holds stock; ' +
    'v1 reserves first. Not behind patched(): a v1 history does not replay on this code, and pinning is what keeps it off.',
  replace: [
    {
      find: "await step('reserveStock', { orderId, lines: input.lines }, { orderId, lines: input.lines });",
      with: "await step('screenForFraud', { orderId, customerId, total });\n      await step('reserveStock', { orderId, lines: input.lines }, { orderId, lines: input.lines });",
    },
    { find: 'patched(FRAUD_SCREEN_PATCH)', with: 'false /* v2: screened before the reservation */' },
  ],
  // patched() stays imported: the failure path's patch still uses it.
  dropImports: [],
};

/** The workflows of build v2, for `bundleWorkflowCode({ workflowsPath })`. */
export const WORKFLOWS_V2_PATH = fileURLToPath(new URL('./workflows-v2.ts', import.meta.url));
