import { z } from 'zod';

// PostgreSQL's timestamptz reaches 294276 AD and a JavaScript Date 275760 AD, but PostgreSQL refuses
// year 0 (a Date's 1 BC) in the ISO form the driver sends, and a Date past 9999 prints a six-digit year.
// The years 1 to 9999 are what both take and what RFC 3339 can write.
export const EARLIEST_INSTANT_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');

export const INSTANT_RANGE_MESSAGE = 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

/** True for an instant (ms since the epoch) that PostgreSQL, a Date and RFC 3339 all take. */
export const isStorableInstant = (epochMs: number): boolean => Number.isFinite(epochMs) && epochMs >= EARLIEST_INSTANT_MS && epochMs <= LATEST_INSTANT_MS;

/** An RFC 3339 date-time with an offset, within the years 1 to 9999 in UTC. */
export function instant() {
  return z
    .string()
    .datetime({ offset: true })
    .refine((value) => isStorableInstant(Date.parse(value)), INSTANT_RANGE_MESSAGE);
}
