import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARLIEST_INSTANT_MS, isStorableInstant, LATEST_INSTANT_MS } from '../../domain/instant.js';
import { ProblemError } from '../http/problem.js';
import { decodeCursor, encodeCursor, type Cursor } from './list-cursor.js';

/** A cursor as the list issues one: the last row's creation time (as Date#toISOString prints it) and id. */
const issuedCursor = fc.record({
  createdAt: fc.integer({ min: EARLIEST_INSTANT_MS, max: LATEST_INSTANT_MS }).map((ms) => new Date(ms).toISOString()),
  id: fc.uuid(),
});

/** Decodes, and says how it ended: the cursor, or the 400 the client gets. Any other throw fails the property. */
function decodeOutcome(raw: string): Cursor | 'refused' {
  try {
    return decodeCursor(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(400);
    expect((error as ProblemError).errors?.map((e) => e.pointer)).toEqual(['/cursor']);
    return 'refused';
  }
}

/** What a decoded cursor must be, so that PostgreSQL takes both fields. */
function expectStorable(cursor: Cursor): void {
  expect(isStorableInstant(Date.parse(cursor.createdAt)), cursor.createdAt).toBe(true);
  expect(cursor.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  expect(Object.keys(cursor).sort()).toEqual(['createdAt', 'id']);
}

describe('list cursors', () => {
  it('round-trip: every cursor the list can issue decodes to itself', () => {
    fc.assert(
      fc.property(issuedCursor, (cursor) => {
        const raw = encodeCursor(cursor);
        expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(raw)).toEqual(cursor);
      }),
    );
  });

  it('refuse any text with a 400 naming /cursor, unless it decodes to a cursor PostgreSQL can take', () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.base64String(),
      fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
    );
    fc.assert(
      fc.property(garbage, (raw) => {
        const outcome = decodeOutcome(raw);
        if (outcome !== 'refused') expectStorable(outcome);
      }),
    );
  });

  it('refuse a cursor object whose fields are out of range, of the wrong type, or extra keys that smuggle in values', () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constantFrom('0000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '10000-01-01T00:00:00.000Z', 'not-a-date', 'not-a-uuid'),
      fc.uuid(),
    );
    const forged = fc.record({
      createdAt: field,
      id: field,
      extra: fc.option(fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'limit'), fc.jsonValue({ maxDepth: 2 }))),
    });
    fc.assert(
      fc.property(forged, ({ createdAt, id, extra }) => {
        const outcome = decodeOutcome(Buffer.from(JSON.stringify({ createdAt, id, ...extra })).toString('base64url'));
        if (outcome !== 'refused') expectStorable(outcome);
      }),
    );
  });

  it('survive corruption: a valid cursor with one character changed is refused or still a storable cursor', () => {
    const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.%~'.split(''));
    fc.assert(
      fc.property(issuedCursor, fc.nat(), alphabet, (cursor, at, char) => {
        const raw = encodeCursor(cursor);
        const index = at % raw.length;
        const outcome = decodeOutcome(raw.slice(0, index) + char + raw.slice(index + 1));
        if (outcome !== 'refused') expectStorable(outcome);
      }),
    );
  });
});
