/**
 * The metadata object filter (`GET /api/<collection>?filter=prop:op:value`, spec §5), after DHIS2's
 * `DefaultQueryParser`: every `filter` is `path:operator[:value]`, the value being everything after
 * the second `:` (so it may contain `:`); filters are AND-ed, or OR-ed with `rootJunction=OR`; a path
 * may be nested with `.` (`trackedEntityType.id:eq:X`).
 *
 * Errors are DHIS2's QueryParserException texts, HTTP 400:
 * - fewer than two `:`-parts → ``Invalid filter => <filter>``
 * - unknown operator → ``\`<op>\` is not a valid operator.``
 * - `in`/`!in` without values → ``Invalid argument \`<arg>\` for in operator.``
 * - with `properties` given, an unknown first path segment → ``Unknown path property: <path>``
 * Bounds (ours): more than 50 filters, 10,000 characters or a path deeper than 10 → ``Invalid filter => …``.
 *
 * Matching is over plain JSON: see `matchesMetadataQuery`.
 */
import { clip, QueryError } from './errors.js';
import { parseDecimal } from './attribute-match.js';
import { javaSplit, paramValues, type RawParam } from './params.js';

export const METADATA_OPERATORS = [
  'eq', '!eq', 'ne', 'neq', 'gt', 'ge', 'gte', 'lt', 'le', 'lte',
  'like', '!like', '$like', '!$like', 'like$', '!like$',
  'ilike', '!ilike', 'startsWith', '$ilike', '!$ilike', 'endsWith', 'ilike$', '!ilike$',
  'token', '!token', 'in', '!in', 'null', '!null', 'empty',
] as const;
export type MetadataOperator = (typeof METADATA_OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(METADATA_OPERATORS);

export type Junction = 'AND' | 'OR';

export interface MetadataRestriction {
  path: string[];
  op: MetadataOperator;
  /** The raw argument (absent for `null`, `!null`, `empty`, or when nothing followed the operator). */
  value?: string;
  /** Parsed `[a,b]` list for `in` / `!in`. */
  values?: string[];
}

export interface MetadataQuery {
  junction: Junction;
  restrictions: MetadataRestriction[];
}

export interface ParseMetadataFilterOptions {
  rootJunction?: string;
  /** Known top-level property names; when given, other first path segments are an error. */
  properties?: ReadonlySet<string>;
}

export const MAX_METADATA_FILTERS = 50;
export const MAX_METADATA_FILTER_LENGTH = 10_000;
export const MAX_PATH_DEPTH = 10;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function parserError(message: string): QueryError {
  return new QueryError('INVALID_METADATA_FILTER', message, 400);
}

/** `AND` unless the value is `OR` (case-insensitive); DHIS2 binds it as an enum, default AND. */
export function parseRootJunction(raw: string | undefined): Junction {
  return raw !== undefined && raw.trim().toUpperCase() === 'OR' ? 'OR' : 'AND';
}

/** `[a,b]` (brackets optional) → `['a','b']`, as `QueryUtils.parseValue(Collection.class, …)`. */
export function parseInList(arg: string): string[] {
  let body = arg.trim();
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
  return body.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function parseMetadataFilters(raw: RawParam, opts: ParseMetadataFilterOptions = {}): MetadataQuery {
  const filters = paramValues(raw);
  const total = filters.reduce((n, f) => n + f.length, 0);
  if (filters.length > MAX_METADATA_FILTERS || total > MAX_METADATA_FILTER_LENGTH) {
    throw parserError(`Invalid filter => ${clip(filters.join('&filter='))}`);
  }
  const restrictions = filters.map((f) => parseOne(f, opts));
  return { junction: parseRootJunction(opts.rootJunction), restrictions };
}

function parseOne(filter: string, opts: ParseMetadataFilterOptions): MetadataRestriction {
  const split = javaSplit(filter, ':');
  if (split.length < 2) throw parserError(`Invalid filter => ${clip(filter)}`);
  const [pathText, op] = split;
  const value = split.length >= 3 ? filter.slice(pathText.length + op.length + 2) : undefined;
  const path = pathText.split('.');
  if (path.length > MAX_PATH_DEPTH || path.some((p) => p === '')) throw parserError(`Invalid filter => ${clip(filter)}`);
  if (opts.properties && !opts.properties.has(path[0])) throw parserError(`Unknown path property: ${clip(pathText)}`);
  if (!OPERATOR_SET.has(op)) throw parserError(`\`${clip(op)}\` is not a valid operator.`);
  const restriction: MetadataRestriction = { path, op: op as MetadataOperator };
  if (value !== undefined) restriction.value = value;
  if (op === 'in' || op === '!in') {
    const values = parseInList(value ?? '');
    if (values.length === 0) throw parserError(`Invalid argument \`${clip(value ?? 'null')}\` for in operator.`);
    restriction.values = values;
  }
  return restriction;
}

/** Reads own, non-dangerous properties; a string reference followed by `.id` reads as its UID. */
function step(holder: unknown, key: string): unknown {
  if (FORBIDDEN_KEYS.has(key)) return undefined;
  if (typeof holder === 'string') return key === 'id' ? holder : undefined;
  if (typeof holder !== 'object' || holder === null) return undefined;
  return Object.prototype.hasOwnProperty.call(holder, key) ? (holder as Record<string, unknown>)[key] : undefined;
}

/** Every value the path reaches; collections on the way fan out (`programs.id` → each program's id). */
export function resolvePath(object: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [object];
  for (const key of path) {
    const next: unknown[] = [];
    for (const holder of current) {
      if (Array.isArray(holder)) for (const item of holder) next.push(step(item, key));
      else next.push(step(holder, key));
    }
    current = next;
  }
  return current;
}

function scalars(leaves: unknown[]): unknown[] {
  return leaves.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function compare(v: unknown, arg: string): number | undefined {
  if (typeof v === 'number') {
    const n = parseDecimal(arg);
    return n === undefined ? undefined : v === n ? 0 : v < n ? -1 : 1;
  }
  if (typeof v === 'boolean') return v === (arg.trim().toLowerCase() === 'true') ? 0 : v ? 1 : -1;
  const s = asText(v);
  if (s === undefined) return undefined;
  return s === arg ? 0 : s < arg ? -1 : 1;
}

function tokenMatch(text: string, arg: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const wanted = arg.toLowerCase().split(/\s+/).filter(Boolean);
  return wanted.every((t) => words.some((w) => w.startsWith(t)));
}

/** The positive form of each operator, applied to one scalar. */
function positive(op: string, v: unknown, arg: string, list: readonly string[]): boolean {
  const s = asText(v);
  switch (op) {
    case 'eq': return compare(v, arg) === 0;
    case 'gt': return (compare(v, arg) ?? 0) > 0;
    case 'ge': case 'gte': return (compare(v, arg) ?? -1) >= 0;
    case 'lt': return (compare(v, arg) ?? 0) < 0;
    case 'le': case 'lte': return (compare(v, arg) ?? 1) <= 0;
    case 'like': return s !== undefined && s.includes(arg);
    case '$like': return s !== undefined && s.startsWith(arg);
    case 'like$': return s !== undefined && s.endsWith(arg);
    case 'ilike': return s !== undefined && s.toLowerCase().includes(arg.toLowerCase());
    case '$ilike': case 'startsWith': return s !== undefined && s.toLowerCase().startsWith(arg.toLowerCase());
    case 'ilike$': case 'endsWith': return s !== undefined && s.toLowerCase().endsWith(arg.toLowerCase());
    case 'token': return s !== undefined && tokenMatch(s, arg);
    case 'in': return list.some((x) => compare(v, x) === 0);
    default: return false;
  }
}

const NEGATED: Readonly<Record<string, string>> = {
  '!eq': 'eq', ne: 'eq', neq: 'eq', '!like': 'like', '!$like': '$like', '!like$': 'like$',
  '!ilike': 'ilike', '!$ilike': '$ilike', '!ilike$': 'ilike$', '!token': 'token', '!in': 'in',
};

/**
 * One restriction against one object. Like SQL, a missing (null) value satisfies only `null` and
 * `empty`: negated operators (`!eq`, `ne`, `!like`, `!in`, …) do not match it either.
 * `eq`/`like` are case-sensitive, `ilike`/`startsWith`/`endsWith`/`token` are not; numbers and
 * booleans compare by value, strings by code unit (ISO dates order correctly).
 */
export function matchesRestriction(object: unknown, r: MetadataRestriction): boolean {
  const leaves = resolvePath(object, r.path);
  if (r.op === 'null') return leaves.every((v) => v === undefined || v === null);
  if (r.op === '!null') return leaves.some((v) => v !== undefined && v !== null);
  if (r.op === 'empty') return leaves.every((v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0));
  const values = scalars(leaves);
  if (values.length === 0) return false;
  const arg = r.value ?? '';
  const list = r.values ?? [];
  const base = NEGATED[r.op];
  if (base !== undefined) return !values.some((v) => positive(base, v, arg, list));
  return values.some((v) => positive(r.op, v, arg, list));
}

export function matchesMetadataQuery(object: unknown, query: MetadataQuery): boolean {
  if (query.restrictions.length === 0) return true;
  return query.junction === 'OR'
    ? query.restrictions.some((r) => matchesRestriction(object, r))
    : query.restrictions.every((r) => matchesRestriction(object, r));
}
