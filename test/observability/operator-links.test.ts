import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { STUCK_AFTER_MS, stuckOrdersQuery, stuckOrdersUrl } from '../../devstack/stuck-orders-link.js';
import { waitFor } from '../../devstack/wait-for.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { TEST_CODEC_TOKEN } from '../support/payload-codec.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/web-ui/', import.meta.url));
const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 }];

/** The test cannot wait a minute for an order to count as stuck: it asks as of a minute from now. */
const aMinuteFromNow = () => new Date(Date.now() + STUCK_AFTER_MS + 5_000);

describe.skipIf(skipWithoutChromium)('the links an operator is given open the right Web UI pages', () => {
  const customerId = `cus_links_${randomUUID().slice(0, 8)}`;
  let stack: OrderStack;
  let browser: Browser;
  let completed: OrderSummary;
  let stuck: OrderSummary;

  const listed = async (query: string) => {
    const ids: string[] = [];
    for await (const execution of stack.temporal.workflow.list({ query: `${query} AND CustomerId = '${customerId}'` })) ids.push(execution.workflowId);
    return ids;
  };

  /** A page whose codec requests carry the operator's admin token, as a proxy in front of the dev server's UI would add it. */
  async function operatorPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.route(`${inject('temporalUiCodecEndpoint')}/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), ...(route.request().method() === 'OPTIONS' ? {} : { authorization: `Bearer ${TEST_CODEC_TOKEN}` }) } }),
    );
    return page;
  }

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId }));
    completed = await waitForOrderStatus(stack.apiUrl, placed.body.id, ['COMPLETED']);
    await stack.temporal.workflow.getHandle(orderWorkflowId(completed.id)).result();
    // With no worker, the next order's workflow starts and goes nowhere: PENDING, as a stuck order is.
    await stack.stopWorker();
    ({ body: stuck } = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId })));
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.temporal.workflow
      .getHandle(orderWorkflowId(stuck.id))
      .terminate('test over')
      .catch(() => {});
    await stack?.stop();
  });

  it('the stuck-orders query finds an order short of a final status once it is a minute old, and never a completed one', async () => {
    const later = stuckOrdersQuery(aMinuteFromNow());
    // Visibility trails the workflow a little.
    await waitFor('the stuck order in the visibility store', async () => ((await listed(later)).includes(orderWorkflowId(stuck.id)) ? true : undefined));
    expect(await listed(later)).toEqual([orderWorkflowId(stuck.id)]);
    // Younger than a minute, it is not stuck yet.
    expect(await listed(stuckOrdersQuery(new Date()))).toEqual([]);
  });

  it('the banner’s Web UI link lists the stuck order and not the completed one', async () => {
    const page = await operatorPage();
    await page.goto(stuckOrdersUrl(inject('temporalUiUrl'), 'default', aMinuteFromNow()));
    await page.getByRole('link', { name: orderWorkflowId(stuck.id), exact: true }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('link', { name: orderWorkflowId(completed.id), exact: true }).count()).resolves.toBe(0);
    // The query is in the UI's search box, as an operator would edit it.
    expect(decodeURIComponent(new URL(page.url()).searchParams.get('query') ?? '')).toContain("OrderStatus IN ('PENDING', 'RESERVED', 'PAID')");
    // The filter bar shows the query as the operator's own filters.
    await page.getByText('PENDING').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}stuck-orders.png` });
  });

  it('an admin’s rel="temporal-ui" link opens the order’s workflow, at its latest run', async () => {
    const { headers } = await call(stack.apiUrl, 'GET', `/orders/${completed.id}`);
    const uiLink = headers.get('link')?.match(/<([^>]+)>;\s*rel="temporal-ui"/)?.[1];
    expect(uiLink).toBe(`${inject('temporalUiUrl')}/namespaces/default/workflows/${orderWorkflowId(completed.id)}`);
    const page = await operatorPage();
    await page.goto(uiLink!);
    const { runId } = await stack.temporal.workflow.getHandle(orderWorkflowId(completed.id)).describe();
    await page.waitForURL(`**/workflows/${orderWorkflowId(completed.id)}/${runId}/**`, { timeout: 30_000 });
    await page.getByText('Completed', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}order-from-link-header.png` });
  });
});
