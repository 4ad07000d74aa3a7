import { randomBytes } from 'node:crypto';
import { tokenEntryLine } from '../../src/platform/api-tokens.js';

export interface ChaosCustomer {
  id: string;
  token: string;
}

/**
 * Customers of the experiment's own, each with a bearer token made for this run only. The stack
 * takes their entries as API_TOKENS, beside its dev tokens (dev-stack.ts keeps both).
 */
export function chaosCustomers(count: number): { customers: ChaosCustomer[]; apiTokens: string } {
  const customers = Array.from({ length: count }, (_, i) => ({
    id: `cus_chaos_${String(i + 1).padStart(3, '0')}`,
    token: `chaos_${randomBytes(18).toString('base64url')}`,
  }));
  return { customers, apiTokens: customers.map((c) => tokenEntryLine('customer', c.id, c.token)).join(',') };
}
