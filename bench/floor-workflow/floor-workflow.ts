import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { orderActivities } from '../../src/workflows/activity-options.js';
import type { OrderWorkflowInput } from '../../src/workflows/messages.js';
import { OrderStatusAttribute } from '../../src/workflows/search-attributes.js';
import { DEFAULT_SAGA_TIMINGS } from '../../src/workflows/timings.js';

/**
 * What the floor adds of the saga's own history, one part at a time, so that an experiment
 * (`--floor-variant`) can price each part. The floor itself adds none of them.
 */
export interface FloorExtras {
  /** A fifth activity between reserve and charge, as the fraud screen is. */
  fifthActivity?: boolean;
  /** How many OrderStatus search-attribute upserts, one after each step, as the saga's status updates. */
  statusUpserts?: number;
  /** A `patched()` call, as the saga's fraud-screen patch. */
  patchMarker?: boolean;
}

/**
 * The engine floor: the order saga's shape (three sequential steps, then a notification) with
 * the saga's own activity options, taken from `orderActivities`, so names, timeouts and retry
 * policies match. Its activities do nothing, and it keeps no status, search attributes or
 * compensations: what it costs is what Temporal costs.
 */
/** The experiments: the floor plus one part of the saga's history, or all of them ('saga-shape'). */
export const FLOOR_VARIANTS = {
  floor: {},
  'status-upserts': { statusUpserts: 3 },
  'patch-marker': { patchMarker: true },
  'fifth-activity': { fifthActivity: true },
  'saga-shape': { statusUpserts: 3, patchMarker: true, fifthActivity: true },
} as const satisfies Record<string, FloorExtras>;

export type FloorVariant = keyof typeof FLOOR_VARIANTS;

export async function floorWorkflow(input: OrderWorkflowInput, extras: FloorExtras = {}): Promise<void> {
  const { orderId, customerId, total } = input;
  // One task queue for every activity: the floor is one worker, with nothing split.
  const steps = orderActivities({ ...DEFAULT_SAGA_TIMINGS, ...input.timings }, undefined);
  let upserts = extras.statusUpserts ?? 0;
  const setStatus = (status: string) => {
    if (upserts-- > 0) upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
  };
  await steps.reserveStock({ orderId, lines: input.lines });
  setStatus('RESERVED');
  if (extras.patchMarker && patched('floor-patch')) {
    // Only the marker is wanted: the branch does nothing else.
  }
  if (extras.fifthActivity) await steps.screenForFraud({ orderId, customerId, total });
  await steps.chargePayment({ orderId, total, paymentToken: input.paymentToken });
  setStatus('PAID');
  await steps.confirmOrder({ orderId });
  setStatus('COMPLETED');
  await steps.notifyCustomer({ orderId, customerId, kind: 'ORDER_CONFIRMED', total });
}
