/**
 * Tracked-entity attribute filters: `filter` / `attribute` on `GET /api/trackedEntityInstances` and
 * `GET /api/tracker/trackedEntities` (spec §2.2, §3.7).
 *
 * Syntaxes, by API and version:
 * - `legacy`  — `/api/trackedEntityInstances` (2.35–2.41) and `/api/tracker/trackedEntities` 2.36–2.39:
 *   repeatable `ATTR:OP:VALUE[:OP:VALUE...]`, split with Java's `split(":")` (trailing empty parts
 *   dropped; an odd part count is required). The parameter binds to a `Set<String>`, so a single
 *   value is also split on commas (Spring's String→Collection conversion, elements trimmed) and
 *   identical strings collapse. A repeated attribute is an error.
 * - `tracker-2.40` — one comma-separated string (repeated parameters are joined with `,`, as Spring
 *   binds a `String`); `,` and `:` not preceded by `\` separate; 1 or 2 op:value pairs per item;
 *   `\:` in a value becomes `:`. A repeated attribute is an error.
 * - `tracker-2.41` — as 2.40 but `/` escapes `/`, `:` and `,`; 1 or 2 pairs per item; a repeated
 *   attribute merges its conditions (RequestParamsValidator.parseFilters).
 * - `tracker-2.42` — as 2.41 with any number of pairs.
 *
 * Bounded for fuzzing: more than 10,000 characters or more than 50 conditions (an include-only item
 * counts as one) is rejected with the invalid-filter error; every pass is linear, no regular expressions.
 */
import type { Dhis2Version } from '../versions.js';
import { clip, javaList, QueryError, type QueryErrorStatus } from './errors.js';
import { dropTrailingEmpty, javaSplit, paramValues, type RawParam } from './params.js';
import { splitNotPrecededBy, splitSlashEscaped, unescapeBackslashColon, unescapeSlash } from './filter-scan.js';

export { indexableLookup, matchesConditions } from './attribute-match.js';

export type AttributeOperator = 'EQ' | 'NE' | 'LIKE' | 'IN' | 'GT' | 'GE' | 'LT' | 'LE' | 'SW' | 'EW';

export interface AttributeCondition {
  op: AttributeOperator;
  /** One value, or the `;`-separated values of `IN`. */
  values: string[];
}

export interface AttributeFilter {
  attribute: string;
  /** Empty for an include-only item (`attribute=ATTR`, `filter=ATTR`). */
  conditions: AttributeCondition[];
}

export type FilterApi = 'legacy' | 'tracker';
export type FilterSyntax = 'legacy' | 'tracker-2.40' | 'tracker-2.41' | 'tracker-2.42';

export interface ParseAttributeFilterOptions {
  version: Dhis2Version;
  /** `legacy` = `/api/trackedEntityInstances`; `tracker` = `/api/tracker/trackedEntities`. */
  api: FilterApi;
  /** Which parameter is parsed; only changes the duplicate message. Default `filter`. */
  param?: 'filter' | 'attribute';
  /** Throw on a repeated attribute where the version does (default true). */
  checkDuplicates?: boolean;
  /** When given, an unknown attribute UID throws `Attribute does not exist: <uid>`. */
  attributeExists?: (uid: string) => boolean;
}

export const MAX_FILTER_LENGTH = 10_000;
export const MAX_FILTER_CONDITIONS = 50;

const BASE_OPERATORS: ReadonlySet<string> = new Set(['EQ', 'NE', 'LIKE', 'IN', 'GT', 'GE', 'LT', 'LE']);
const TEXT_OPERATORS: ReadonlySet<string> = new Set(['SW', 'EW']);

export function filterSyntax(version: Dhis2Version, api: FilterApi): FilterSyntax {
  if (api === 'legacy' || version.below('2.40')) return 'legacy';
  if (version.below('2.41')) return 'tracker-2.40';
  if (version.below('2.42')) return 'tracker-2.41';
  return 'tracker-2.42';
}

/** HTTP status DHIS2 uses for a bad filter in this API flavour (IllegalQueryException vs BadRequest). */
export function filterErrorStatus(syntax: FilterSyntax): QueryErrorStatus {
  return syntax === 'legacy' ? 409 : 400;
}

export function invalidFilter(item: string, status: QueryErrorStatus): QueryError {
  return new QueryError('INVALID_FILTER', `Query item or filter is invalid: ${clip(item)}`, status);
}

/** Parses an operator token (case-insensitive); `undefined` if this version does not know it. */
export function parseOperator(token: string, version: Dhis2Version, syntax: FilterSyntax): AttributeOperator | undefined {
  const op = token.toUpperCase();
  if (BASE_OPERATORS.has(op)) return op as AttributeOperator;
  if (TEXT_OPERATORS.has(op) && (syntax !== 'legacy' || version.atLeast('2.39'))) return op as AttributeOperator;
  return undefined;
}

interface RawItem {
  item: string;
  attribute: string;
  pairs: [op: string, value: string][];
}

/** Parses `filter` (or `attribute`) for the given version and API. */
export function parseAttributeFilters(raw: RawParam, opts: ParseAttributeFilterOptions): AttributeFilter[] {
  const syntax = filterSyntax(opts.version, opts.api);
  const status = filterErrorStatus(syntax);
  const values = paramValues(raw);
  const totalLength = values.reduce((n, v) => n + v.length + 1, 0);
  if (totalLength > MAX_FILTER_LENGTH + 1) throw invalidFilter(values.join(','), status);

  const items = syntax === 'legacy' ? legacyItems(values, status) : trackerItems(values.join(','), syntax, status);
  const filters: AttributeFilter[] = [];
  const bySlot = new Map<string, AttributeFilter>();
  let conditionCount = 0;
  for (const it of items) {
    conditionCount += Math.max(1, it.pairs.length); // an include-only item counts as one
    if (conditionCount > MAX_FILTER_CONDITIONS) throw invalidFilter(it.item, status);
    if (opts.attributeExists && !opts.attributeExists(it.attribute)) {
      throw new QueryError('UNKNOWN_ATTRIBUTE', `Attribute does not exist: ${clip(it.attribute)}`, status);
    }
    const conditions = it.pairs.map(([opToken, value]) => {
      const op = parseOperator(opToken, opts.version, syntax);
      if (!op) throw invalidFilter(it.item, status);
      return { op, values: op === 'IN' ? value.split(';') : [value] };
    });
    const merge = syntax === 'tracker-2.41' || syntax === 'tracker-2.42';
    const existing = merge ? bySlot.get(it.attribute) : undefined;
    if (existing) {
      existing.conditions.push(...conditions);
      continue;
    }
    const filter = { attribute: it.attribute, conditions };
    bySlot.set(it.attribute, filter);
    filters.push(filter);
  }
  if (opts.checkDuplicates !== false) {
    const error = duplicateFilterError(filters, opts.param ?? 'filter');
    if (error) throw error;
  }
  return filters;
}

/**
 * The attributes that occur more than once, one entry per extra occurrence, in order (what
 * `TrackedEntityInstanceQueryParams#getDuplicateFilters` collects).
 */
export function duplicateAttributes(filters: readonly AttributeFilter[]): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const f of filters) {
    if (seen.has(f.attribute)) duplicates.push(f.attribute);
    else seen.add(f.attribute);
  }
  return duplicates;
}

/**
 * 409 `Filters cannot be specified more than once: [a, b]` (or `Attributes ...` for the `attribute`
 * parameter), or null. Exposed so a route can run the check at DHIS2's point in its validation order.
 */
export function duplicateFilterError(filters: readonly AttributeFilter[], param: 'filter' | 'attribute'): QueryError | null {
  const duplicates = duplicateAttributes(filters);
  if (duplicates.length === 0) return null;
  return param === 'attribute'
    ? new QueryError('DUPLICATE_ATTRIBUTE', `Attributes cannot be specified more than once: ${javaList(duplicates)}`, 409)
    : new QueryError('DUPLICATE_FILTER', `Filters cannot be specified more than once: ${javaList(duplicates)}`, 409);
}

/** Legacy: each value is one item; a single value is split on commas like Spring's Set<String> binding. */
function legacyItems(values: string[], status: QueryErrorStatus): RawItem[] {
  const strings = values.length === 1 ? values[0].split(',').map((s) => s.trim()) : values;
  const unique = [...new Set(strings.filter((s) => s !== ''))];
  return unique.map((item) => {
    const parts = javaSplit(item, ':');
    if (parts.length % 2 !== 1) throw invalidFilter(item, status);
    const pairs: [string, string][] = [];
    for (let i = 1; i < parts.length; i += 2) pairs.push([parts[i], parts[i + 1]]);
    if (pairs.some(([op]) => op === '')) throw invalidFilter(item, status);
    return { item, attribute: parts[0], pairs };
  });
}

/** 2.40+: one comma-separated list of `ATTR[:op:value[:op:value]]`. */
function trackerItems(input: string, syntax: FilterSyntax, status: QueryErrorStatus): RawItem[] {
  if (input.trim() === '') return [];
  const slash = syntax !== 'tracker-2.40';
  const rawItems = slash ? splitSlashEscaped(input, ',') : splitNotPrecededBy(input, ',', '\\');
  const items: RawItem[] = [];
  for (const item of dropTrailingEmpty(rawItems)) {
    if (item === '') continue;
    let segments = slash ? splitSlashEscaped(item, ':') : splitNotPrecededBy(item, ':', '\\');
    if (syntax !== 'tracker-2.42') segments = dropTrailingEmpty(segments);
    const unescape = slash ? unescapeSlash : unescapeBackslashColon;
    const attribute = unescape(segments[0] ?? '');
    const rest = segments.slice(1);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      items.push({ item, attribute, pairs: [] });
      continue;
    }
    const maxPairs = syntax === 'tracker-2.42' ? Infinity : 2;
    if (rest.length % 2 !== 0 || rest.length / 2 > maxPairs) throw invalidFilter(item, status);
    const pairs: [string, string][] = [];
    for (let i = 0; i < rest.length; i += 2) {
      const op = rest[i];
      const value = unescape(rest[i + 1]);
      if (op === '' || rest[i + 1] === '') throw invalidFilter(item, status);
      pairs.push([op, value]);
    }
    items.push({ item, attribute, pairs });
  }
  return items;
}
