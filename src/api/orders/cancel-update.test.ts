import { ServiceError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { ProblemError } from '../http/problem.js';
import { cancelThroughUpdate } from './cancel-update.js';

/** What the server answers an Update while the workflow's last task is failed (seen in the chaos suite's cancel-race). */
function workflowTaskFailedError(): ServiceError {
  const grpc = Object.assign(new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.'), {
    code: 9,
    details: 'Unable to perform workflow execution update due to Workflow Task in failed state.',
    metadata: {},
  });
  return new ServiceError('Workflow Update failed', { cause: grpc });
}

function clientWhoseUpdateFails(error: Error): Client {
  const temporal = {
    withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
    workflow: { getHandle: () => ({ startUpdate: () => Promise.reject(error) }) },
  };
  return temporal as unknown as Client;
}

describe('a cancel the workflow cannot take yet', () => {
  it('is a 503 with Retry-After, not a 500, while the workflow task is failed', async () => {
    const answer = cancelThroughUpdate({ db: {} as Database, temporal: clientWhoseUpdateFails(workflowTaskFailedError()) }, 'ord_1', undefined, 'key-1');
    const problem = await answer.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(problem).toBeInstanceOf(ProblemError);
    expect(problem).toMatchObject({ status: 503, code: 'temporal-unavailable', orderId: 'ord_1', headers: { 'retry-after': '5' } });
  });

  it('passes any other error on', async () => {
    const other = new Error('boom');
    await expect(cancelThroughUpdate({ db: {} as Database, temporal: clientWhoseUpdateFails(other) }, 'ord_1', undefined, 'key-1')).rejects.toBe(other);
  });
});
