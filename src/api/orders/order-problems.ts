import { ProblemError } from '../http/problem.js';

/** No such order: in the read model, or in Temporal for an order the read model has. */
export function orderNotFound(orderId: string): ProblemError {
  return new ProblemError(404, 'order-not-found', 'Order not found', `No order has the id ${orderId}`);
}

/** The order is past the point where a cancel can undo it, or already final. */
export function orderNotCancellable(orderId: string, why: string): ProblemError {
  return new ProblemError(409, 'order-not-cancellable', 'Order can no longer be cancelled', `Order ${orderId} can no longer be cancelled: ${why}`);
}
