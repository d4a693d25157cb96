import type { Dhis2Version } from './versions.js';
import { paramValues } from './query/index.js';
import { badRequest } from './web-message.js';

/**
 * Spring's conversion of a request parameter to `Integer` (StringToNumberConverterFactory →
 * NumberUtils.parseNumber): trimmed, decimal with an optional sign, or `0x`/`#` hex; repeats bind
 * the first value (ArrayToObjectConverter); empty means absent (the default applies). Anything else
 * is a MethodArgumentTypeMismatchException, which CrudControllerAdvice answers 400 with Spring's
 * message (Spring 6, from 2.42, drops the "nested exception is" wording).
 */
export function integerParam(raw: unknown, name: string, fallback: number, version: Dhis2Version): number {
  const text = paramValues(raw)[0]?.trim();
  if (text === undefined || text === '') return fallback;
  const m = /^([+-]?)(?:0[xX]|#)([0-9a-fA-F]+)$/.exec(text);
  const value = m ? Number.parseInt(`${m[1]}${m[2]}`, 16) : /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
  const shown = text.slice(0, 100);
  const cause = `For input string: "${shown}"`;
  throw badRequest(version.atLeast('2.42')
    ? `Method parameter '${name}': Failed to convert value of type 'java.lang.String' to required type 'java.lang.Integer'; ${cause}`
    : `Failed to convert value of type 'java.lang.String' to required type 'java.lang.Integer'; nested exception is java.lang.NumberFormatException: ${cause}`);
}
