import { describe, expect, it } from 'vitest';
import { taskQueueFor, taskQueuesOf } from './task-queues.js';

describe('the task queues of a deployment', () => {
  it('are orders, payments and notifications by default', () => {
    expect(taskQueuesOf('orders')).toEqual({ orders: 'orders', payments: 'payments', notifications: 'notifications' });
  });

  it('keep a prefix of the orders queue, so two deployments on one namespace never share a queue', () => {
    expect(taskQueuesOf('shop-orders')).toEqual({ orders: 'shop-orders', payments: 'shop-payments', notifications: 'shop-notifications' });
  });

  it('append the concern to an orders queue of another name', () => {
    expect(taskQueueFor('payments', 'e2e-1a2b3c4d')).toBe('e2e-1a2b3c4d-payments');
    expect(taskQueueFor('orders', 'e2e-1a2b3c4d')).toBe('e2e-1a2b3c4d');
  });

  it("name the webhook deliveries' queue by the same rule", () => {
    expect(taskQueueFor('webhooks', 'orders')).toBe('webhooks');
    expect(taskQueueFor('webhooks', 'shop-orders')).toBe('shop-webhooks');
    expect(taskQueueFor('webhooks', 'e2e-1a2b3c4d')).toBe('e2e-1a2b3c4d-webhooks');
  });
});
