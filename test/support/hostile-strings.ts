import fc from 'fast-check';

/** Strings that broke or could break something: controls, malformed UTF-16, injection-looking text, keys that pollute prototypes. */
export const HOSTILE_SAMPLES = [
  '\u0000',
  'a\u0000b',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u2028',
  '\ud800',
  '\udfff',
  'a\udc00b',
  '\ud83d',
  '😀',
  '\ufeff',
  '\u202e',
  '\r\n',
  '\t',
  '\n',
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  "'; drop table orders; --",
  '%00',
  '../..',
  'Ω≈ç√',
];

/** Any UTF-16 unit, weighted towards C0/C1 controls and surrogate halves. */
const hostileUnit = fc
  .oneof(fc.integer({ min: 0, max: 0x9f }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }))
  .map((code) => String.fromCharCode(code));

/** Hostile strings of at most `maxLength` UTF-16 units: samples, random units, and long runs. */
export function hostileString(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_SAMPLES),
    fc.string({ unit: hostileUnit, maxLength: 40 }),
    fc.tuple(fc.constantFrom(...HOSTILE_SAMPLES), fc.string({ unit: hostileUnit, maxLength: 8 })).map(([a, b]) => a + b),
    fc.integer({ min: 65, max: maxLength }).map((length) => 'x'.repeat(length)),
  );
}

/**
 * What a client can put in a header value at all: HTTP clients and Node's parser refuse C0 controls
 * and DEL, and a header is bytes read as latin1, so C1 controls (0x80-0x9F) are the hostile part here.
 */
const headerUnit = fc.oneof(fc.constant(0x09), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((code) => String.fromCharCode(code));

export function hostileHeaderValue(maxLength: number): fc.Arbitrary<string> {
  const sendable = HOSTILE_SAMPLES.filter((s) => /^[\t\u0020-\u007e\u0080-\u00ff]*$/.test(s));
  return fc.oneof(
    fc.constantFrom(...sendable, '\u0085', 'a\u009fb', 'a\tb', 'ÿ'),
    fc.string({ unit: headerUnit, maxLength: 40 }),
    fc.integer({ min: 65, max: maxLength }).map((length) => 'x'.repeat(length)),
  );
}

/** A hostile value put in place of a valid one, or before or after it, so the rest of the value still looks right. */
export function aroundValid(valid: string, hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('replace', 'prefix', 'suffix'), hostile).map(([where, h]) => (where === 'replace' ? h : where === 'prefix' ? h + valid : valid + h));
}

/**
 * Percent-encodes any string for a URL, lone surrogates included: each is written as the three
 * bytes it would take in UTF-8 (WTF-8), which no decoder should accept as text.
 */
export function percentEncode(value: string): string {
  let encoded = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => '%' + b.toString(16).toUpperCase()).join('');
    } else {
      encoded += encodeURIComponent(char);
    }
  }
  return encoded;
}
