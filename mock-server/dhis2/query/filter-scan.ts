/**
 * Linear-time splitters for the tracker `filter` syntaxes. No regular expressions: every function is
 * a single left-to-right pass, so a fuzzer cannot make parsing slow.
 */

/**
 * Splits on `sep` unless the character before it is `escape`: what Java's
 * `Pattern.compile("(?<!\\\\)" + sep)` does (2.40's `FILTER_LIST_SPLIT` / `FILTER_ITEM_SPLIT`).
 * The parts are returned raw (escapes kept).
 */
export function splitNotPrecededBy(input: string, sep: string, escape: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] === sep && (i === 0 || input[i - 1] !== escape)) {
      parts.push(input.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(input.slice(start));
  return parts;
}

/** Characters that `/` escapes in the 2.41+ tracker filter syntax. */
function isSlashEscapable(c: string | undefined): boolean {
  return c === '/' || c === ':' || c === ',';
}

/**
 * Splits on `sep` outside escape pairs: `/` followed by `/`, `:` or `,` is one escaped character
 * (2.41+). Parts are returned raw (escapes kept) so they can be split again.
 */
export function splitSlashEscaped(input: string, sep: ',' | ':'): string[] {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === '/' && isSlashEscapable(input[i + 1])) {
      i += 2;
      continue;
    }
    if (c === sep) {
      parts.push(input.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  parts.push(input.slice(start));
  return parts;
}

/** Resolves the 2.41+ escapes: `//` → `/`, `/:` → `:`, `/,` → `,`; any other `/` is literal. */
export function unescapeSlash(value: string): string {
  if (!value.includes('/')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === '/' && isSlashEscapable(value[i + 1])) {
      out += value[i + 1];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * 2.40's `escapedFilterValue`: drops a backslash that is directly followed by `:`. A backslash before
 * `,` is kept in the value (that is what 2.40 does).
 */
export function unescapeBackslashColon(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && value[i + 1] === ':') continue;
    out += value[i];
  }
  return out;
}
