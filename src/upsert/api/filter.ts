/**
 * Key filters per API and version. Each syntax has characters it cannot carry in a value
 * (spec §2.2, §3.7): the legacy parser splits on ':' (and on ',' for a single filter), 2.40 escapes
 * ':' and ',' with a backslash, 2.41+ escapes '/', ':' and ',' with '/'. A value the syntax
 * cannot carry is searched with LIKE on its longest safe fragment and compared exactly
 * client-side; `IN` additionally cannot carry ';'. Values are searched trimmed because DHIS2
 * trims attribute values on import.
 */
import type { Dhis2VersionInfo } from '../../client/version.js';
import { InvalidRecordError } from '../../errors.js';
import type { ApiKind } from './types.js';

type Syntax = 'legacy' | 'backslash' | 'slash';

function syntaxOf(api: ApiKind, v: Dhis2VersionInfo): Syntax {
  if (api === 'legacy' || v.minor < 40) return 'legacy';
  return v.minor === 40 ? 'backslash' : 'slash';
}

function encode(value: string, syntax: Syntax): string | undefined {
  switch (syntax) {
    case 'legacy':
      return /[:,]/.test(value) ? undefined : value;
    case 'backslash':
      return value.includes('\\') ? undefined : value.replace(/([:,])/g, '\\$1');
    case 'slash':
      return value.replace(/([/:,])/g, '/$1');
  }
}

/** True when `value` can be one of the values of an IN filter in this API/version. */
export function inSafe(api: ApiKind, v: Dhis2VersionInfo, value: string): boolean {
  const t = value.trim();
  return t !== '' && !t.includes(';') && encode(t, syntaxOf(api, v)) !== undefined;
}

/** The `filter` parameter value for one key (EQ) or several (IN). */
export function keyFilter(api: ApiKind, v: Dhis2VersionInfo, attribute: string, values: readonly string[]): string {
  const syntax = syntaxOf(api, v);
  if (values.length > 1) {
    const encoded = values.map((x) => (inSafe(api, v, x) ? encode(x.trim(), syntax)! : undefined));
    if (encoded.some((x) => x === undefined)) throw new InvalidRecordError('internal: IN filter with a value that is not IN-safe');
    return `${attribute}:IN:${encoded.join(';')}`;
  }
  // DHIS2 stores trimmed values, so the trimmed value is what to look for.
  const value = values[0].trim();
  const exact = encode(value, syntax);
  if (exact !== undefined && value !== '') return `${attribute}:EQ:${exact}`;
  const fragment = value
    .split(/[:,;\\/]/)
    .map((s) => s.trim())
    .reduce((best, s) => (s.length > best.length ? s : best), '');
  if (fragment === '') {
    throw new InvalidRecordError(`The key value ${JSON.stringify(value)} cannot be searched for on this DHIS2 version; use a key with letters or digits.`);
  }
  return `${attribute}:LIKE:${encode(fragment, syntax)}`;
}
