import { z } from 'zod';

// Every string a client sends is one of two kinds, built here so that each route checks it the same way:
// - an identifier (an id, a key, a SKU, a token) names something: no control character at all, and no
//   invisible format character (zero-width spaces and joiners, bidi marks and overrides, the BOM), which would
//   make two different identifiers look the same in a log, the Web UI or a support ticket;
// - text (a reason, a header's free form) is read by people: a tab, and a newline where it spans lines.
// Both refuse malformed UTF-16 and have a bound. PostgreSQL refuses NUL in text (SQLSTATE 22021), and
// a lone surrogate cannot become UTF-8, so either would fail deep inside a request or a saga step.

/** C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators: matching them is the point. */
/* eslint-disable no-control-regex */
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_BUT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
/* eslint-enable no-control-regex */
/** Unicode's format characters (General Category Cf): invisible, they change how text around them is shown. */
const FORMAT_CHARACTER = /\p{Cf}/u;
/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const WELL_FORMED_MESSAGE = 'must be well-formed Unicode (no lone surrogate)';

export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

/** An id, key, SKU or token: 1 to `max` UTF-16 units, no control or format character, well-formed. */
export function identifier({ max }: { max: number }) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !ANY_CONTROL.test(value), 'must not contain control characters')
    .refine((value) => !FORMAT_CHARACTER.test(value), 'must not contain invisible format characters (zero-width or bidi)')
    .refine(isWellFormed, WELL_FORMED_MESSAGE);
}

/** Text for people: at most `max` UTF-16 units; tab allowed, newline only when `multiline`; no other control. */
export function safeText({ max, multiline = false }: { max: number; multiline?: boolean }) {
  const forbidden = multiline ? CONTROL_BUT_TAB_NEWLINE : CONTROL_BUT_TAB;
  return z
    .string()
    .max(max)
    .refine(
      (value) => !forbidden.test(value),
      multiline ? 'must not contain control characters other than tab and newline' : 'must not contain control characters other than tab',
    )
    .refine(isWellFormed, WELL_FORMED_MESSAGE);
}
