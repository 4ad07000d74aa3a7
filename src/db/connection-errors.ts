/** Socket-level codes (Node) and the driver's own (postgres.js) for a connection that failed or went away. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * SQLSTATE class 08 (connection exception), 57P01-57P03 (the server is shutting down, restarting or
 * not yet accepting connections) and 53300 (no connection slot left): the server, not the query.
 */
const isUnavailableState = (code: string) => code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);

/**
 * Whether a query failed because PostgreSQL could not be reached, rather than because of the query:
 * then the same query may succeed once the database is back. drizzle wraps the driver's error, so
 * the chain of causes is searched.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableState(code)))) return true;
  }
  return false;
}
