import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { waitFor } from '../../devstack/wait-for.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { TEST_CODEC_TOKEN } from '../support/payload-codec.js';
import { base64Text, payloadBytesAsText, type JsonPayload } from '../support/payload-text.js';

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 50 },
];

/** The real `temporal` CLI against the run's dev server, as an operator types it; its JSON output as text. */
async function temporalOutput(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    inject('temporalCliPath'),
    [...args, '--address', inject('temporalAddress'), '--namespace', 'default', '--output', 'json'],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    },
  );
  return stdout;
}

/** Payloads are encrypted: an operator reads them through the API's codec server, with its admin token. */
let codecFlags: string[] = [];
const temporal = async <T>(...args: string[]): Promise<T> => JSON.parse(await temporalOutput([...args, ...codecFlags])) as T;

interface ListedExecution {
  execution: { workflowId: string };
}

interface Payload {
  data: string;
}

interface Described {
  workflowExecutionInfo: {
    execution: { workflowId: string };
    status: string;
    type: { name: string };
    searchAttributes: { indexedFields: Record<string, Payload> };
  };
  executionConfig: { userMetadata: { summary: string; details: string } };
}

const decode = (payload: Payload | undefined): unknown => (payload ? JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) : undefined);

describe('operators find and inspect orders with the temporal CLI', () => {
  // Customer ids of this run's own, so executions left by earlier runs or other files never match.
  const alice = `cus_cli_${randomUUID().slice(0, 8)}`;
  const bob = `cus_cli_${randomUUID().slice(0, 8)}`;
  let stack: OrderStack;
  let alicesFailed: string[];
  let alicesCompleted: OrderSummary;

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    codecFlags = ['--codec-endpoint', `${stack.apiUrl}/codec`, '--codec-auth', `Bearer ${TEST_CODEC_TOKEN}`];
    const place = async (request: ReturnType<typeof anOrderRequest>) => {
      const { body } = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
      await stack.temporal.workflow.getHandle(orderWorkflowId(body.id)).result();
      return body;
    };
    // Alice: two declined cards and one order that completes; Bob: one declined card.
    alicesFailed = [
      (await place(anOrderRequest({ customerId: alice, paymentToken: TEST_TOKENS.declined }))).id,
      (await place(anOrderRequest({ customerId: alice, paymentToken: TEST_TOKENS.insufficientFunds }))).id,
    ];
    alicesCompleted = await place(
      anOrderRequest({
        customerId: alice,
        items: [
          { sku: 'KBD-001', quantity: 1 },
          { sku: 'MSE-001', quantity: 2 },
        ],
      }),
    );
    await place(anOrderRequest({ customerId: bob, paymentToken: TEST_TOKENS.declined }));
  });
  afterAll(() => stack?.stop());

  it("`temporal workflow list --query \"OrderStatus='FAILED' AND CustomerId='…'\"` finds exactly the customer's failed orders", async () => {
    const expected = alicesFailed.map(orderWorkflowId).sort();
    // Visibility is updated asynchronously after the workflow's last upsert: poll until it settles.
    const found = await waitFor('the failed orders in the visibility store', async () => {
      const listed = await temporal<ListedExecution[]>('workflow', 'list', '--query', `OrderStatus='FAILED' AND CustomerId='${alice}'`);
      const ids = listed.map((execution) => execution.execution.workflowId).sort();
      if (JSON.stringify(ids) === JSON.stringify(expected)) return ids;
      throw new Error(`listed ${JSON.stringify(ids)}`);
    });
    expect(found).toEqual(expected);
  });

  it('`temporal workflow describe` shows the order, its search attributes and its summary', async () => {
    const described = await temporal<Described>('workflow', 'describe', '--workflow-id', orderWorkflowId(alicesCompleted.id));
    const info = described.workflowExecutionInfo;
    expect(info).toMatchObject({
      execution: { workflowId: orderWorkflowId(alicesCompleted.id) },
      status: 'WORKFLOW_EXECUTION_STATUS_COMPLETED',
      type: { name: 'orderWorkflow' },
    });
    const attributes = info.searchAttributes.indexedFields;
    expect({ OrderStatus: decode(attributes.OrderStatus), CustomerId: decode(attributes.CustomerId), OrderTotal: decode(attributes.OrderTotal) }).toEqual({
      OrderStatus: 'COMPLETED',
      CustomerId: alice,
      OrderTotal: 147,
    });
    expect(described.executionConfig.userMetadata.summary).toBe(`Order ${alicesCompleted.id.slice(0, 8)}: 3 items, $147.00`);
    expect(described.executionConfig.userMetadata.details).toContain('| MSE-001 | 2 | $29.00 |');
  });

  it("`temporal workflow query --name orderStatus` answers with the order's state", async () => {
    const answer = await temporal<{ queryResult: unknown[] }>('workflow', 'query', '--workflow-id', orderWorkflowId(alicesCompleted.id), '--name', 'orderStatus');
    expect(answer.queryResult).toEqual([
      expect.objectContaining({ orderId: alicesCompleted.id, status: 'COMPLETED', failureReason: null, paymentId: expect.stringMatching(/^ch_/) }),
    ]);
  });

  it('`temporal workflow show` without the codec endpoint shows ciphertext: no payment token, no order lines', async () => {
    const shown = await temporalOutput(['workflow', 'show', '--workflow-id', orderWorkflowId(alicesCompleted.id)]);
    const started = startedEvent(JSON.parse(shown) as ShownHistory);
    expect(started.input.payloads.map((payload) => text(payload.metadata.encoding))).toEqual(['binary/encrypted']);
    // The CLI prints payload bytes as base64: read every payload's bytes, as well as the output itself.
    const readable = `${shown}\n${payloadBytesAsText(JSON.parse(shown))}`;
    expect(readable).toContain('binary/encrypted');
    expect(readable).not.toContain(TEST_TOKENS.visa);
    expect(readable).not.toContain('MSE-001');
  });

  it('`temporal workflow show --codec-endpoint <api>/codec --codec-auth "Bearer <admin>"` shows the decoded input', async () => {
    const started = startedEvent(await temporal<ShownHistory>('workflow', 'show', '--workflow-id', orderWorkflowId(alicesCompleted.id)));
    const [input] = started.input.payloads;
    expect(text(input!.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(text(input!.data))).toMatchObject({
      orderId: alicesCompleted.id,
      customerId: alice,
      paymentToken: TEST_TOKENS.visa,
      lines: expect.arrayContaining([expect.objectContaining({ sku: 'MSE-001', quantity: 2 })]),
    });
  });

  it('`temporal workflow show` with a token that is not an admin token gets nothing decoded', async () => {
    const args = [
      'workflow',
      'show',
      '--workflow-id',
      orderWorkflowId(alicesCompleted.id),
      '--codec-endpoint',
      `${stack.apiUrl}/codec`,
      '--codec-auth',
      'Bearer not-an-admin',
    ];
    // The codec server answers 401; the CLI retries until its deadline, then fails without printing the history.
    const failure = await temporalOutput(args).then(
      (stdout) => `printed: ${stdout}`,
      (error: Error & { stdout?: string }) => `failed: ${error.stdout ?? ''}`,
    );
    expect(failure).toBe('failed: ');
  });
});

type ShownPayload = Required<JsonPayload>;
interface ShownHistory {
  events: { eventType: string; workflowExecutionStartedEventAttributes?: { input: { payloads: ShownPayload[] } } }[];
}
const text = base64Text;
const startedEvent = (history: ShownHistory) => history.events.find((event) => event.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!;
