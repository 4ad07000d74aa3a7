import { describe, expect, it } from 'vitest';
import { tokenEntryLine } from './api-tokens.js';
import { EMBEDDED_DATABASE_URL, loadApiConfig, loadWorkerConfig, shouldSeedDemoCatalogue, WORKER_MEMORY_DEFAULTS } from './config.js';

// The API never runs without tokens; one entry is enough for these checks.
const TOKENS = { API_TOKENS: tokenEntryLine('admin', 'config-test', 'config-test-token') };
const seeds = (env: Record<string, string>) => shouldSeedDemoCatalogue(loadApiConfig({ ...TOKENS, ...env }));

describe('whether the API seeds the demo catalogue', () => {
  it('seeds the embedded database: DATABASE_URL unset, or naming it', () => {
    expect(seeds({})).toBe(true);
    expect(seeds({ DATABASE_URL: EMBEDDED_DATABASE_URL })).toBe(true);
  });

  it('never seeds a database of its own unless SEED_DEMO_CATALOGUE=true says so', () => {
    expect(seeds({ DATABASE_URL: 'postgres://app:secret@db.internal:5432/orders' })).toBe(false);
    expect(seeds({ DATABASE_URL: 'postgres://app:secret@db.internal:5432/orders', SEED_DEMO_CATALOGUE: 'true' })).toBe(true);
  });

  it('SEED_DEMO_CATALOGUE=false turns it off even on the embedded database; other values are refused', () => {
    expect(seeds({ SEED_DEMO_CATALOGUE: 'false' })).toBe(false);
    expect(() => loadApiConfig({ ...TOKENS, SEED_DEMO_CATALOGUE: 'yes' })).toThrow(/SEED_DEMO_CATALOGUE/);
  });
});

describe('which task queues a worker serves', () => {
  const worker = (env: Record<string, string>) => loadWorkerConfig({ PAYMENT_GATEWAY_SECRET: 'config-test-gateway-secret', ...env });

  it('serves all four unless WORKER_TASK_QUEUES names some', () => {
    expect(worker({}).WORKER_TASK_QUEUES).toEqual(['orders', 'payments', 'notifications', 'webhooks']);
    expect(worker({ WORKER_TASK_QUEUES: 'webhooks' }).WORKER_TASK_QUEUES).toEqual(['webhooks']);
    expect(worker({ WORKER_TASK_QUEUES: 'payments' }).WORKER_TASK_QUEUES).toEqual(['payments']);
    expect(worker({ WORKER_TASK_QUEUES: 'orders, notifications' }).WORKER_TASK_QUEUES).toEqual(['orders', 'notifications']);
  });

  it('refuses a queue it does not know, or none at all', () => {
    expect(() => worker({ WORKER_TASK_QUEUES: 'payment' })).toThrow(/WORKER_TASK_QUEUES/);
    expect(() => worker({ WORKER_TASK_QUEUES: ' , ' })).toThrow(/WORKER_TASK_QUEUES/);
  });
});

describe('the worker’s workflow cache', () => {
  const worker = (env: Record<string, string>) => loadWorkerConfig({ PAYMENT_GATEWAY_SECRET: 'config-test-gateway-secret', ...env });

  it('holds the default number of workflows unless WORKER_MAX_CACHED_WORKFLOWS says otherwise, 0 turning it off', () => {
    expect(worker({}).WORKER_MAX_CACHED_WORKFLOWS).toBe(WORKER_MEMORY_DEFAULTS.maxCachedWorkflows);
    expect(worker({ WORKER_MAX_CACHED_WORKFLOWS: '250' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(250);
    expect(worker({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(0);
  });

  it('refuses a count that is not a whole number', () => {
    expect(() => worker({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => worker({ WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
