import { ownCustomerId, type Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { invalidRequest } from '../http/validation-problem.js';
import { orderNotFound } from './order-problems.js';

// Whose orders a principal may touch. A customer token acts for its one customer; an admin for any.

const otherCustomer = (what: string) => new ProblemError(403, 'forbidden', 'Forbidden', `A customer token ${what} only its own customer’s orders`);

/** The customer a new order is for: a customer token's own (naming another is 403); the one an admin names. */
export function orderingCustomer(principal: Principal, named: string | undefined): string {
  const own = ownCustomerId(principal);
  if (own === undefined) {
    if (named === undefined) throw invalidRequest([{ pointer: '/customerId', detail: 'Required with an admin token: name the customer the order is for' }], 'body');
    return named;
  }
  if (named !== undefined && named !== own) throw otherCustomer('places');
  return own;
}

/** The customer filter of a list: a customer token lists its own orders (naming another is 403); an admin any. */
export function listingCustomer(principal: Principal, named: string | undefined): string | undefined {
  const own = ownCustomerId(principal);
  if (own !== undefined && named !== undefined && named !== own) throw otherCustomer('lists');
  return own ?? named;
}

/** Another customer's order is not found, as an unknown ID is: IDs cannot be probed for. */
export function assertVisible(principal: Principal, order: { id: string; customerId: string }): void {
  const own = ownCustomerId(principal);
  if (own !== undefined && order.customerId !== own) throw orderNotFound(order.id);
}
