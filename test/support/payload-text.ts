/** A payload as protojson prints it (the CLI's `--output json`, a recorded history): bytes in base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export const base64Text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

/**
 * Every payload's metadata and data in a JSON history, decoded from base64: what anyone who can read
 * the history can read. A value stored in plain text shows here even though the JSON holds only base64.
 */
export function payloadBytesAsText(value: unknown): string {
  if (Array.isArray(value)) return value.map(payloadBytesAsText).join('\n');
  if (!value || typeof value !== 'object') return '';
  const payload = value as JsonPayload;
  const own = typeof payload.data === 'string' ? [base64Text(payload.data), ...Object.values(payload.metadata ?? {}).map(base64Text)] : [];
  return [...own, ...Object.values(value).map(payloadBytesAsText)].join('\n');
}

/** The same JSON without its search attributes, which are indexed in plain text on purpose. */
export function withoutSearchAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSearchAttributes);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'searchAttributes')
      .map(([key, inner]) => [key, withoutSearchAttributes(inner)]),
  );
}
