import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_CUSTOMER_ID } from '../../devstack/dev-secrets.js';
import { waitFor } from '../../devstack/wait-for.js';
import { runTour, type TourReport } from '../../scripts/demo/tour.js';
import type { DemoTarget } from '../../scripts/demo/target.js';
import { DEMO_CATALOGUE } from '../../src/db/seed.js';
import { TEST_GATEWAY_SECRETS } from '../support/gateway-simulator.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

/** `npm run demo`'s tour, against an order stack with the demo catalogue that `npm start` seeds. */
describe('npm run demo: the guided tour of the order flows', () => {
  let stack: OrderStack;
  let target: DemoTarget;
  let report: TourReport;
  const lines: string[] = [];
  const step = (title: string) => report.steps.find((s) => s.title === title)!;

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: DEMO_CATALOGUE.map((product) => ({ ...product })) });
    target = {
      apiUrl: stack.apiUrl,
      adminToken: stack.adminToken,
      customerToken: stack.customerToken(DEMO_CUSTOMER_ID),
      customerId: DEMO_CUSTOMER_ID,
      gateway: { url: stack.gatewayUrl, adminSecret: TEST_GATEWAY_SECRETS.admin },
      temporal: { address: inject('temporalAddress'), namespace: 'default', uiUrl: inject('temporalUiUrl') },
      payloadsEncrypted: true,
    };
    report = await runTour(target, { out: (line) => lines.push(line), temporalCli: inject('temporalCliPath') });
  }, 180_000);
  afterAll(() => stack?.stop());

  it('walks every flow, and each ends as the tour says it should', () => {
    expect(report.steps.map(({ title, ok, outcome }) => ({ title, ok, outcome }))).toEqual([
      { title: 'A happy order', ok: true, outcome: expect.stringMatching(/^COMPLETED/) },
      { title: 'A declined card', ok: true, outcome: 'FAILED PAYMENT_DECLINED, stock 200 → 200' },
      { title: 'Out of stock', ok: true, outcome: 'FAILED OUT_OF_STOCK' },
      { title: 'A retried POST', ok: true, outcome: expect.stringMatching(/^one order \(\w{8}\), retry replayed$/) },
      { title: 'A cancel in flight', ok: true, outcome: 'CANCELLED, stock 999 → 999' },
      // Two charge requests answer 503; on a busy stack a late request of another order can meet one of them.
      { title: 'A transient gateway failure', ok: true, outcome: expect.stringMatching(/^COMPLETED; charge (failed, )+completed$/) },
      { title: 'The same order in the Web UI and the CLI', ok: true, outcome: 'Web UI link and CLI command printed' },
    ]);
  });

  it('leaves the money as the outcomes say: one charge for the completed orders, none standing for the rest', async () => {
    const netCharged = async (orderId: string) => {
      const charges = await stack.gateway.listCharges(orderId);
      return charges.filter((charge) => charge.status === 'succeeded').length;
    };
    expect(await netCharged(step('A happy order').orderId!)).toBe(1);
    expect(await netCharged(step('A transient gateway failure').orderId!)).toBe(1);
    expect(await netCharged(step('A declined card').orderId!)).toBe(0);
    expect(await netCharged(step('Out of stock').orderId!)).toBe(0);
    expect(await netCharged(step('A cancel in flight').orderId!)).toBe(0);
    // The simulator's faults are as the tour found them.
    expect(await stack.gateway.getFaults()).toMatchObject({ failureRate: 0, latencyMs: 0, failNext: 0 });
  });

  it('prints each request with its real answer, then a summary table', () => {
    const text = lines.join('\n');
    expect(text).toContain('$ POST /orders   [customer cus_demo token]');
    expect(text).toMatch(/→ 200 OK .*preference-applied: wait=10/);
    expect(text).toContain('idempotent-replayed: true');
    // Temporal keeps the failure of the attempt before the last, so the message shows on that one.
    expect(text).toMatch(/chargePayment attempt \d: failed \(.*503/);
    const summary = lines.slice(lines.indexOf('Summary'));
    expect(summary).toHaveLength(2 + 1 + report.steps.length);
    expect(summary.slice(3).every((line) => line.trimEnd().endsWith('ok'))).toBe(true);
  });

  it('prints the order’s Web UI URL from the admin’s Link header, and a CLI command that shows its history', async () => {
    const orderId = step('A transient gateway failure').orderId!;
    expect(report.shownOrderId).toBe(orderId);
    expect(report.webUiUrl).toBe(`${inject('temporalUiUrl')}/namespaces/default/workflows/order-${orderId}`);
    // The command as printed, run by a shell as a user pastes it: the history, decoded by the API's codec server.
    // The order's 200 comes before its confirmation is sent, so the workflow may still be running at first: then the
    // command shows its progress and no result yet, and it is asked again until the workflow has closed.
    const show = async () => (await promisify(execFile)('sh', ['-c', report.cliCommand!], { env: { PATH: process.env.PATH, HOME: process.env.HOME } })).stdout;
    const stdout = await waitFor(
      'the workflow to close and show its result',
      async () => {
        const output = await show();
        return output.includes('Result') ? output : undefined;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    expect(stdout).toMatch(/ActivityTaskScheduled/);
    // The result, decoded: the completed order with its payment.
    expect(stdout).toMatch(new RegExp(`Result +\\{.*"orderId":"${orderId}".*"status":"COMPLETED"`));
  });
});
