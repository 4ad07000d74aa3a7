import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/api/orders/list-cursor.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, waitForOrderStatus, type ApiResponse } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { intakeRowCounts } from '../support/row-counts.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Problem = { type: string; errors?: { pointer: string; detail: string }[] };

/** The request was refused as invalid, naming `pointer`, as problem+json. */
function expectInvalid(response: ApiResponse, pointer: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect((response.body as Problem).errors?.map((e) => e.pointer)).toContain(pointer);
}

describe('values PostgreSQL or a workflow cannot take are a 400 naming the field, and write nothing', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    // No worker at first: an order placed here waits, so a test can act on it before its saga runs.
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
  });
  afterAll(() => stack.stop());

  const rowCounts = () => intakeRowCounts(stack.database);

  it.each([
    ['a NUL in customerId', anOrderRequest({ customerId: 'cus_\u0000x' }), '/customerId'],
    ['a lone surrogate in customerId', anOrderRequest({ customerId: 'cus_\ud800' }), '/customerId'],
    ['a newline in customerId', anOrderRequest({ customerId: 'cus\n1' }), '/customerId'],
    ['a right-to-left override in customerId', anOrderRequest({ customerId: 'cus_\u202e1' }), '/customerId'],
    ['a C1 control in paymentToken', anOrderRequest({ paymentToken: 'tok_\u0085visa' }), '/paymentToken'],
    ['a NUL in a SKU', anOrderRequest({ items: [{ sku: 'KBD-001\u0000', quantity: 1 }] }), '/items/0/sku'],
  ])('POST /orders with %s', async (_case, body, pointer) => {
    const before = await rowCounts();
    expectInvalid(await call(stack.apiUrl, 'POST', '/orders', body, { 'idempotency-key': `hostile-${pointer}` }), pointer);
    expect(await rowCounts()).toEqual(before);
  });

  it('POST /orders with a C1 control in the Idempotency-Key', async () => {
    const before = await rowCounts();
    expectInvalid(await call(stack.apiUrl, 'POST', '/orders', anOrderRequest(), { 'idempotency-key': 'key-\u0085' }), '/idempotency-key');
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ['a NUL in customerId', 'customerId=cus%00', '/customerId'],
    ['a control character in the cursor', 'cursor=abc%01', '/cursor'],
    ['year 0 in createdFrom', 'createdFrom=0000-01-01T00:00:00Z', '/createdFrom'],
    ['an instant that is year 0 in UTC', `createdTo=${encodeURIComponent('0001-01-01T00:30:00+01:00')}`, '/createdTo'],
    ['a cursor whose id is no UUID', `cursor=${encodeCursor({ createdAt: '2024-01-01T00:00:00.000Z', id: 'not-a-uuid' })}`, '/cursor'],
    ['a cursor at year 0', `cursor=${encodeCursor({ createdAt: '0000-01-01T00:00:00.000Z', id: UNKNOWN_ID })}`, '/cursor'],
  ])('GET /orders with %s', async (_case, query, pointer) => {
    expectInvalid(await call(stack.apiUrl, 'GET', `/orders?${query}`), pointer);
  });

  it('GET /orders takes the whole range of years 1 to 9999', async () => {
    const query = `createdFrom=0001-01-01T00:00:00Z&createdTo=9999-12-31T23:59:59.999Z&cursor=${encodeCursor({ createdAt: '9999-12-31T23:59:59.999Z', id: UNKNOWN_ID })}`;
    expect((await call(stack.apiUrl, 'GET', `/orders?${query}`)).status).toBe(200);
  });

  it('a cancel reason may span lines, but a NUL in it is refused before the order is touched', async () => {
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_nul_reason' }));
    expect(placed.status).toBe(202);
    const orderId = placed.body.id;

    expectInvalid(await call(stack.apiUrl, 'POST', `/orders/${orderId}/cancel`, { reason: 'changed my mind\u0000' }), '/reason');
    // Tab and newline are text; this one passes validation and meets the unknown order.
    expect((await call(stack.apiUrl, 'POST', `/orders/${UNKNOWN_ID}/cancel`, { reason: 'changed\tmy\nmind' })).status).toBe(404);

    const history = await stack.temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    await stack.startWorker();
    expect((await waitForOrderStatus(stack.apiUrl, orderId, ['COMPLETED'])).status).toBe('COMPLETED');
  });
});
