/**
 * One broken rule, about one order (or one SKU): what every invariant check returns, so a test or a
 * chaos run can print exactly which orders broke which rule.
 */
/** The checker's groups, and `availability`: what an experiment asserts about the API while a dependency is down. */
export const INVARIANT_GROUPS = ['orders', 'money', 'stock', 'notifications', 'idempotency', 'read-model', 'events', 'availability'] as const;
export type InvariantGroup = (typeof INVARIANT_GROUPS)[number];

export interface Violation {
  group: InvariantGroup;
  rule: string;
  /** The order the violation is about; null for a SKU's stock. */
  orderId: string | null;
  sku?: string;
  detail: string;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** `text` shortened to `max` characters, so one violation stays one readable line. */
export const clip = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
