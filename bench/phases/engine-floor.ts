import { orderVisibility } from '../../src/api/orders/workflow-start.js';
import { DEFAULT_PAYMENT_TOKEN } from '../../src/domain/order.js';
import type { OrderWorkflowInput } from '../../src/workflows/messages.js';
import { BENCH_PRODUCT } from '../bench-stack.js';
import { FLOOR_VARIANTS, floorWorkflow } from '../floor-workflow/floor-workflow.js';
import { startFloorWorker } from '../floor-workflow/floor-worker.js';
import type { PhaseContext } from './phase-context.js';
import { runWorkflowPhase, type WorkflowPhaseResult } from './workflow-phase.js';

/** The input an order's workflow gets, so payloads weigh the same. */
function floorInput(orderId: string): OrderWorkflowInput {
  return {
    orderId,
    customerId: 'cus_bench',
    lines: [{ sku: BENCH_PRODUCT.sku, quantity: 1, unitPrice: BENCH_PRODUCT.unitPrice }],
    total: { amount: BENCH_PRODUCT.unitPrice, currency: BENCH_PRODUCT.currency },
    paymentToken: DEFAULT_PAYMENT_TOKEN,
  };
}

/**
 * Phase 3: the floor workflow, started directly with the Temporal client, on the stack's own dev
 * server, run by a worker in this process on a task queue of its own.
 */
export async function runEngineFloor(context: PhaseContext): Promise<WorkflowPhaseResult> {
  const { bench, runId, settings } = context;
  const variant = settings.floorVariant;
  // The saga-shape experiment also starts its workflows as the API starts an order's.
  const startLikeAnOrder = (input: OrderWorkflowInput) => (variant === 'saga-shape' ? orderVisibility(input) : {});
  const worker = await startFloorWorker({ address: bench.stack.urls.temporalAddress, taskQueue: `bench-floor-${runId}`, dataConverter: bench.dataConverter });
  try {
    // The floor worker shares this process with the client that drives it.
    return await runWorkflowPhase(context, 'engine floor', process.pid, async (index) => {
      const orderId = `${runId}-${index}`;
      const input = floorInput(orderId);
      const handle = await bench.temporal.workflow.start(floorWorkflow, {
        taskQueue: worker.taskQueue,
        workflowId: `bench-floor-${orderId}`,
        args: [input, FLOOR_VARIANTS[variant]],
        ...startLikeAnOrder(input),
      });
      return { workflowId: handle.workflowId, closed: handle.result() };
    });
  } finally {
    await worker.stop();
  }
}
