import { createHash } from 'node:crypto';

/** Longer texts (a query string, an attribute value) are kept as this many characters plus their size and hash. */
export const JOURNAL_TEXT_MAX = 2048;

/** First 16 hex digits of the SHA-256 of the text's UTF-8 (like a request body's `bodyHash`). */
export function textHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * `text` itself up to {@link JOURNAL_TEXT_MAX} characters; beyond, its start and
 * `…[15023 chars, sha256 9f86d081884c7d65]`. Deterministic, so a clipped value still compares equal
 * to the same value clipped again (the journal's `value` filter relies on it).
 */
export function clipText(text: string): string {
  if (text.length <= JOURNAL_TEXT_MAX) return text;
  // do not split a surrogate pair
  const end = isHighSurrogate(text.charCodeAt(JOURNAL_TEXT_MAX - 1)) ? JOURNAL_TEXT_MAX - 1 : JOURNAL_TEXT_MAX;
  return `${text.slice(0, end)}…[${text.length} chars, sha256 ${textHash(text)}]`;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

// characters JSON.stringify escapes (quote, backslash, controls) or writes as \u escapes (lone surrogates)
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The UTF-8 size of `JSON.stringify(value)` for plain data (strings, finite numbers, booleans, null,
 * arrays, objects; undefined properties skipped), without building the string for the common case.
 */
export function jsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? Buffer.byteLength(JSON.stringify(value)) : Buffer.byteLength(value) + 2;
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let n = 2 + Math.max(0, value.length - 1);
        for (const item of value) n += item === undefined ? 4 : jsonBytes(item);
        return n;
      }
      let n = 2;
      let first = true;
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined || typeof v === 'function') continue;
        n += (first ? 0 : 1) + jsonBytes(key) + 1 + jsonBytes(v);
        first = false;
      }
      return n;
    }
    default:
      return 0;
  }
}
