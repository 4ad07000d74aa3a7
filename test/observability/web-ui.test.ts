import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { formatMoney } from '../../src/domain/money.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { waitFor } from '../../devstack/wait-for.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { TEST_CODEC_TOKEN } from '../support/payload-codec.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/web-ui/', import.meta.url));
const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 50 },
];

const SEARCH = (customerId: string) => `CustomerId="${customerId}" AND OrderStatus="COMPLETED"`;

// On a developer's machine a missing browser skips the test; under CI=true, launchChromium fails instead.
describe.skipIf(skipWithoutChromium)('the Temporal Web UI, in headless Chromium, shows a completed order', () => {
  const customerId = `cus_ui_${randomUUID().slice(0, 8)}`;
  let stack: OrderStack;
  let browser: Browser;
  let order: OrderSummary;

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    ({ body: order } = await call<OrderSummary>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({
        customerId,
        items: [
          { sku: 'KBD-001', quantity: 1 },
          { sku: 'MSE-001', quantity: 2 },
        ],
      }),
    ));
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
    // The UI lists what the visibility store has, which trails the workflow a little: wait until it is there.
    await waitFor('the completed order in the visibility store', async () => {
      for await (const execution of stack.temporal.workflow.list({ query: SEARCH(customerId) })) if (execution.workflowId === orderWorkflowId(order.id)) return true;
      return undefined;
    });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('finds the order by its search attributes, opens it, and shows its reserve, charge, confirm and notify activities', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    // Payloads are encrypted; the UI decodes them through its codec endpoint (--ui-codec-endpoint).
    // The dev server's UI has no login, so it can only forward an OAuth token it does not have: the
    // operator's admin token is added to its codec requests here, as a proxy in front of the UI would.
    const codecEndpoint = inject('temporalUiCodecEndpoint');
    const decoded: number[] = [];
    await page.route(`${codecEndpoint}/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), ...(route.request().method() === 'OPTIONS' ? {} : { authorization: `Bearer ${TEST_CODEC_TOKEN}` }) } }),
    );
    page.on('response', (response) => {
      if (response.url() === `${codecEndpoint}/decode` && response.request().method() === 'POST') decoded.push(response.status());
    });
    // An operator's search: this customer's completed orders, by the custom search attributes.
    await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows?query=${encodeURIComponent(SEARCH(customerId))}`);
    const link = page.getByRole('link', { name: orderWorkflowId(order.id), exact: true });
    await link.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}orders-found-by-search-attribute.png`, fullPage: true });

    await link.click();
    await page.waitForURL(`**/workflows/${orderWorkflowId(order.id)}/**`);
    await page.getByText('Completed', { exact: true }).first().waitFor();
    const timeline = page.locator('main');
    for (const activity of ['reserveStock', 'chargePayment', 'confirmOrder', 'notifyCustomer']) {
      await timeline.getByText(activity, { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    // Each activity carries a one-line summary (set by the workflow interceptor).
    await timeline
      .getByText(`Charge ${formatMoney(order.total)}`)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}completed-order.png`, fullPage: true });

    // The workflow's input, decrypted by the codec server: the order as the API sent it.
    await page
      .getByText(/"paymentToken"/)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByText(order.id).first().waitFor({ timeout: 30_000 });
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded.every((status) => status === 200)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}completed-order-decoded-input.png`, fullPage: true });

    // The static summary and details the API set at start, under User Metadata.
    await page
      .getByRole('link', { name: 'User Metadata' })
      .or(page.getByRole('tab', { name: 'User Metadata' }))
      .first()
      .click();
    // The UI renders the (markdown) summary and details in sandboxed frames of their own.
    await page
      .frameLocator('iframe')
      .first()
      .getByText(`Order ${order.id.slice(0, 8)}: 3 items, $147.00`)
      .waitFor({ timeout: 30_000 });
    await page.frameLocator('iframe').nth(1).getByText(customerId).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}completed-order-user-metadata.png`, fullPage: true });
  });
});
