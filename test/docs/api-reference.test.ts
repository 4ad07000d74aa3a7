import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/api-reference/', import.meta.url));
const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 }];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface OpenApiDocument {
  info: { title: string };
  paths: Record<string, Record<string, { summary?: string }>>;
}

/** `GET /orders/{id} Read an order`, one per operation: the same line for the document and for the page. */
const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.summary ?? ''}`.trim()),
  );

const renderedOperations = (page: Page) =>
  // Runs in the page, where the DOM's types are; this project's TypeScript lib has none.
  /* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access */
  page.locator('.opblock').evaluateAll((blocks) =>
    blocks.map((block) => {
      const text = (selector: string) => block.querySelector(selector)?.textContent?.trim() ?? '';
      const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? text('.opblock-summary-path');
      return `${text('.opblock-summary-method')} ${path} ${text('.opblock-summary-description')}`.trim();
    }),
  );
/* eslint-enable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access */

describe.skipIf(skipWithoutChromium)('the API reference at /docs, in headless Chromium, with nothing fetched from off the host', () => {
  let stack: OrderStack;
  let browser: Browser;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
    doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as OpenApiDocument;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists every operation of /openapi.json with its summary, runs one for real, and loads everything from the API’s own origin', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The API wants a bearer token; a user gives it to Swagger UI's Authorize button, the test to every request.
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${stack.adminToken}` });
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A CSP violation (an inline script, a CDN stylesheet) is reported on the console as an error.
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));

    const response = await page.goto(`${stack.apiUrl}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    const expected = operationsOf(doc);
    expect(expected.length).toBeGreaterThanOrEqual(7);
    await page.getByRole('heading', { name: doc.info.title }).first().waitFor({ timeout: 30_000 });
    await page
      .locator('.opblock')
      .nth(expected.length - 1)
      .waitFor({ timeout: 30_000 });
    expect((await renderedOperations(page)).sort()).toEqual([...expected].sort());
    await page.screenshot({ path: `${SCREENSHOTS}operations.png`, fullPage: true });

    // "Try it out" on GET /products: the page's fetch reaches the API under connect-src 'self'.
    const products = page.locator('.opblock-get', { has: page.locator('[data-path="/products"]') }).first();
    await products.locator('.opblock-summary').click();
    await products.getByRole('button', { name: 'Try it out' }).click();
    await products.getByRole('button', { name: 'Execute' }).click();
    const liveResponse = products.locator('.live-responses-table .response .response-col_status').first();
    await liveResponse.waitFor({ timeout: 30_000 });
    expect(await liveResponse.textContent()).toContain('200');
    await expect.poll(() => products.locator('.live-responses-table .microlight').first().textContent()).toContain('KBD-001');
    await page.screenshot({ path: `${SCREENSHOTS}try-it-out.png`, fullPage: false });

    const origin = new URL(stack.apiUrl).origin;
    expect(requested.length).toBeGreaterThan(3);
    // data: URIs (swagger-ui.css's icons) are decoded in the page, not fetched from anywhere.
    expect(requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${origin}/docs`, `${origin}/openapi.json`, `${origin}/products`]));
    expect(problems).toEqual([]);
  });
});
