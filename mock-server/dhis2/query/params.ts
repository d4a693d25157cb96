/**
 * Small helpers shared by the query parsers: how a raw query-string value (as express / URLSearchParams
 * hand it over) is read, and how Java's `String#split` behaves.
 */

/** A query parameter as a router hands it over: absent, once, or repeated. */
export type RawParam = string | readonly string[] | undefined | null;

/** A query object as express (`req.query`) or `Object.fromEntries(searchParams)` produce it. */
export type RawQuery = Readonly<Record<string, unknown>>;

/** Every value of a parameter, in order. Non-string entries (express nested objects) are ignored. */
export function paramValues(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The first value of a parameter (Spring binds a scalar from the first of repeated values). */
export function firstValue(raw: unknown): string | undefined {
  return paramValues(raw)[0];
}

/**
 * `java.lang.String#split(String.valueOf(sep))` for a one-character literal separator: an input
 * without the separator gives `[input]`; otherwise trailing empty strings are removed.
 */
export function javaSplit(input: string, sep: string): string[] {
  if (!input.includes(sep)) return [input];
  const parts = input.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Removes trailing empty strings, as Java's `split` does. */
export function dropTrailingEmpty(parts: string[]): string[] {
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Spring's `true`/`false` conversion for a boolean request parameter (case-insensitive, also on/off/yes/no/1/0). */
export function parseBool(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === 'on' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'off' || v === 'no' || v === '0') return false;
  return undefined;
}

/**
 * A `String`-typed request property bound from a repeated parameter: Spring's data binder converts
 * the `String[]` with ArrayToStringConverter, i.e. joins the values with commas (`?ou=A&ou=B` →
 * `"A,B"`). Non-String targets (Integer, enums, Boolean) take the first value instead (firstValue).
 */
export function joinedValue(raw: unknown): string | undefined {
  const all = paramValues(raw);
  return all.length > 0 ? all.join(',') : undefined;
}
