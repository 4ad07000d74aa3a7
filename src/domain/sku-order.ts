/**
 * Orders SKUs by code point, which is their UTF-8 byte order (PostgreSQL's C collation). Unlike
 * `localeCompare`, it is the same on every replica whatever its locale or ICU data: a request's
 * fingerprint and the order in which a reservation locks product rows must not depend on the host.
 */
export function compareSkus(a: string, b: string): number {
  const x = Array.from(a, (char) => char.codePointAt(0)!);
  const y = Array.from(b, (char) => char.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/** For `lines.sort(bySku)`. */
export const bySku = (a: { sku: string }, b: { sku: string }): number => compareSkus(a.sku, b.sku);
