import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Logger } from '../../platform/logger.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import type { Principal } from '../http/principal.js';
import { ProblemError, type Problem } from '../http/problem.js';
import { cancelOrder } from './cancel.js';
import { placeOrder } from './intake.js';
import { orderLinkHeader } from './order-links.js';
import { assertVisible, listingCustomer, orderingCustomer } from './order-owner.js';
import { preferredWaitSeconds } from './prefer-wait.js';
import { getOrder, listOrders } from './reads.js';
import type { cancelOrderRoute, createOrderRoute, getOrderRoute, listOrdersRoute, orderHistoryRoute } from './routes.js';
import type { CancelResult } from './schemas.js';
import { DEFAULT_TEMPORAL_DEADLINES, isTimedOut, withinDeadline } from './temporal-deadlines.js';
import { orderTimeline } from './timeline.js';

/** The history read is a Temporal call too: bounded, and a 503 rather than a hung request when the server does not answer. */
async function timelineWithinDeadline(deps: AppDeps, orderId: string, logger: Logger) {
  try {
    return await withinDeadline(deps.temporal, deps.temporalDeadlines?.callMs ?? DEFAULT_TEMPORAL_DEADLINES.callMs, () => orderTimeline(deps.temporal, orderId, logger));
  } catch (error) {
    if (!isTimedOut(error)) throw error;
    throw new ProblemError(
      503,
      'temporal-unavailable',
      'Order service temporarily unavailable',
      `The history of order ${orderId} could not be read in time. Retry.`,
      undefined,
      { 'retry-after': '1' },
    );
  }
}

/**
 * The orders module's handlers: each reads the validated request and the caller's principal, calls
 * one service, and shapes the answer. Which customer's orders the caller may touch is settled here.
 */
export function orderHandlers(deps: AppDeps) {
  // A customer's own order, or (to them) no order at all.
  const visibleOrder = async (principal: Principal, id: string) => {
    const order = await getOrder(deps.db, id);
    assertVisible(principal, order);
    return order;
  };
  // Every order answer points at the order's history, and an admin also at its workflow in the Web UI.
  const linkOrder = (c: Context<AppEnv>, orderId: string) => c.header('Link', orderLinkHeader(orderId, c.get('principal'), deps.temporalUi));

  const place: RouteHandler<typeof createOrderRoute, AppEnv> = async (c) => {
    const headers = c.req.valid('header');
    const waitSeconds = preferredWaitSeconds(headers.prefer);
    const body = c.req.valid('json');
    // The idempotency scope is this customer: the authenticated one, for a customer token.
    const request = { ...body, customerId: orderingCustomer(c.get('principal'), body.customerId) };
    const { order, status, replayed } = await placeOrder(deps, request, {
      idempotencyKey: headers['idempotency-key'],
      requestId: c.get('requestId'),
      waitMs: waitSeconds * 1000,
    });
    if (replayed) c.header('Idempotent-Replayed', 'true');
    else c.set('placedOrder', { id: order.id, customerId: order.customerId });
    if (waitSeconds > 0 && !replayed) c.header('Preference-Applied', `wait=${waitSeconds}`);
    c.header('Location', `/orders/${order.id}`);
    linkOrder(c, order.id);
    return status === 200 ? c.json(order, 200) : c.json(order, 202);
  };

  const read: RouteHandler<typeof getOrderRoute, AppEnv> = async (c) => {
    const order = await visibleOrder(c.get('principal'), c.req.valid('param').id);
    linkOrder(c, order.id);
    return c.json(order, 200);
  };

  const history: RouteHandler<typeof orderHistoryRoute, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    await visibleOrder(c.get('principal'), id);
    const entries = await timelineWithinDeadline(deps, id, c.get('logger'));
    linkOrder(c, id);
    return c.json({ orderId: id, entries }, 200);
  };

  const list: RouteHandler<typeof listOrdersRoute, AppEnv> = async (c) => {
    const query = c.req.valid('query');
    return c.json(await listOrders(deps.db, { ...query, customerId: listingCustomer(c.get('principal'), query.customerId) }), 200);
  };

  const cancel: RouteHandler<typeof cancelOrderRoute, AppEnv> = async (c) => {
    const body = c.req.header('content-type') ? c.req.valid('json') : {};
    const { id } = c.req.valid('param');
    // An order's customer never changes, so checking before the cancel is as good as checking within it.
    await visibleOrder(c.get('principal'), id);
    const { response, replayed } = await cancelOrder(deps, id, {
      reason: body.reason,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
      instance: c.req.path,
    });
    if (replayed) c.header('Idempotent-Replayed', 'true');
    if (response.status === 200 || response.status === 202) linkOrder(c, id);
    if (response.status === 202) {
      c.header('Location', `/orders/${(response.body as CancelResult).id}`);
      return c.json(response.body as CancelResult, 202);
    }
    if (response.status !== 200) throw ProblemError.from(response.body as Problem);
    return c.json(response.body as CancelResult, 200);
  };

  return { place, read, history, list, cancel };
}
