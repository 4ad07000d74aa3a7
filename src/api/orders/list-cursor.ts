import { z } from 'zod';
import { isStorableInstant } from '../../domain/instant.js';
import { invalidRequest } from '../http/validation-problem.js';

/** Where a page ended: the last order's creation time and id, the keyset the next page starts after. */
export interface Cursor {
  createdAt: string;
  id: string;
}

// A cursor comes back from the client, so it is checked like input: its fields reach PostgreSQL as a
// uuid and a timestamptz, and a value either column refuses would otherwise be a 500.
const cursorSchema = z.object({ createdAt: z.string().refine((value) => isStorableInstant(Date.parse(value))), id: z.string().uuid() });

export const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.success) return { createdAt: parsed.data.createdAt, id: parsed.data.id };
  } catch {
    // fall through to the problem below
  }
  throw invalidRequest([{ pointer: '/cursor', detail: 'not a cursor this API issued' }], 'query');
}
