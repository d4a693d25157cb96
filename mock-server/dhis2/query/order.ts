/**
 * `order=created:desc,lastUpdated` for tracked-entity lists (spec §2.2, §3.7).
 *
 * - Terms are comma-separated (repeated parameters are concatenated); each is `property[:direction]`,
 *   direction `asc`/`desc` case-insensitive, default asc (an unknown direction reads as asc).
 * - Properties: `created`/`createdAt`, `lastUpdated`/`updatedAt`, `trackedEntity`/
 *   `trackedEntityInstance`, `orgUnit`, `inactive`, or a tracked-entity attribute UID.
 * - 2.39+: an unknown property → `Invalid order property: <p>` (409 on the legacy API, 400 on the
 *   tracker API). Before 2.39 unknown properties are dropped silently.
 * - Tracker 2.41+ (RequestParamsValidator#validateOrderParams with TrackedEntityMapper's
 *   ORDERABLE_FIELDS): only `createdAt`, `createdAtClient`, `enrolledAt`, `inactive`,
 *   `trackedEntity`, `updatedAt`, `updatedAtClient` or a UID; anything else is a 400 `order
 *   parameter is invalid. Cannot order by '<p>'. Supported are attribute UIDs and fields '<sorted
 *   list>'. All of which can at most be specified once.`; a name given twice is a 400 `… '<p>' are
 *   repeated. …`.
 * - Comparators sort like PostgreSQL: missing values last when ascending, first when descending;
 *   numbers and booleans by value, everything else by UTF-16 code unit (ISO timestamps order
 *   correctly). Stable: equal keys keep their input order when used with Array#sort.
 */
import type { Dhis2Version } from '../versions.js';
import { clip, QueryError } from './errors.js';
import { paramValues, type RawParam } from './params.js';

export type OrderDirection = 'asc' | 'desc';
export type OrderField = 'created' | 'lastUpdated' | 'trackedEntity' | 'orgUnit' | 'inactive' | 'createdAtClient' | 'updatedAtClient' | 'enrolledAt';

export interface OrderTerm {
  /** The canonical field, or the attribute UID when `kind` is `attribute`. */
  property: OrderField | string;
  kind: 'field' | 'attribute';
  direction: OrderDirection;
  /** The name as the client sent it. */
  raw: string;
}

export interface ParseOrderOptions {
  version: Dhis2Version;
  api: 'legacy' | 'tracker';
  /** When given, a UID-shaped property must satisfy it to count as an attribute. */
  attributeExists?: (uid: string) => boolean;
}

export const MAX_ORDER_LENGTH = 10_000;
export const MAX_ORDER_TERMS = 50;

const FIELD_ALIASES: ReadonlyMap<string, OrderField> = new Map([
  ['created', 'created'],
  ['createdAt', 'created'],
  ['lastUpdated', 'lastUpdated'],
  ['updatedAt', 'lastUpdated'],
  ['trackedEntity', 'trackedEntity'],
  ['trackedEntityInstance', 'trackedEntity'],
  ['orgUnit', 'orgUnit'],
  ['inactive', 'inactive'],
]);

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** DHIS2 UID shape: 11 characters, a letter then letters or digits. */
export function isUidShape(s: string): boolean {
  if (s.length !== 11 || !isLetter(s[0])) return false;
  for (let i = 1; i < 11; i++) if (!isLetter(s[i]) && !(s[i] >= '0' && s[i] <= '9')) return false;
  return true;
}

/** TrackedEntityMapper.ORDERABLE_FIELDS (2.41+): request name → the field the emulator sorts by. */
const TRACKER_241_FIELDS: ReadonlyMap<string, OrderField> = new Map([
  ['createdAt', 'created'],
  ['createdAtClient', 'createdAtClient'],
  ['enrolledAt', 'enrolledAt'],
  ['inactive', 'inactive'],
  ['trackedEntity', 'trackedEntity'],
  ['updatedAt', 'lastUpdated'],
  ['updatedAtClient', 'updatedAtClient'],
]);

function parseTracker241(text: string): OrderTerm[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length > MAX_ORDER_TERMS) throw orderError(`Invalid order property: ${clip(text)}`, 'tracker');
  const terms = parts.map((part): OrderTerm => {
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).trim();
    const direction: OrderDirection = colon >= 0 && part.slice(colon + 1).trim().toLowerCase() === 'desc' ? 'desc' : 'asc';
    const field = TRACKER_241_FIELDS.get(name);
    return field ? { property: field, kind: 'field', direction, raw: name } : { property: name, kind: 'attribute', direction, raw: name };
  });
  const suffix = `Supported are attribute UIDs and fields '${[...TRACKER_241_FIELDS.keys()].sort().join(', ')}'. All of which can at most be specified once.`;
  const invalid = [...new Set(terms.filter((t) => t.kind === 'attribute' && !isUidShape(t.raw)).map((t) => clip(t.raw)))];
  if (invalid.length > 0) throw orderError(`order parameter is invalid. Cannot order by '${invalid.join(', ')}'. ${suffix}`, 'tracker');
  const seen = new Set<string>();
  const repeated = new Set(terms.map((t) => t.raw).filter((r) => (seen.has(r) ? true : (seen.add(r), false))));
  if (repeated.size > 0) throw orderError(`order parameter is invalid. '${[...repeated].join(', ')}' are repeated. ${suffix}`, 'tracker');
  return terms;
}

function orderError(message: string, api: 'legacy' | 'tracker'): QueryError {
  return new QueryError('INVALID_ORDER', message, api === 'legacy' ? 409 : 400);
}

export function parseOrder(raw: RawParam, opts: ParseOrderOptions): OrderTerm[] {
  const text = paramValues(raw).join(',');
  if (text.length > MAX_ORDER_LENGTH) throw orderError(`Invalid order property: ${clip(text)}`, opts.api);
  if (opts.api === 'tracker' && opts.version.atLeast('2.41')) return parseTracker241(text);
  const strict = opts.version.atLeast('2.39');
  const terms: OrderTerm[] = [];
  for (const piece of text.split(',')) {
    const part = piece.trim();
    if (part === '') continue;
    if (terms.length >= MAX_ORDER_TERMS) throw orderError(`Invalid order property: ${clip(part)}`, opts.api);
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).trim();
    const dir = colon < 0 ? '' : part.slice(colon + 1).trim().toLowerCase();
    const direction: OrderDirection = dir === 'desc' ? 'desc' : 'asc';
    const field = FIELD_ALIASES.get(name);
    if (field) {
      terms.push({ property: field, kind: 'field', direction, raw: name });
    } else if (isUidShape(name) && (!opts.attributeExists || opts.attributeExists(name))) {
      terms.push({ property: name, kind: 'attribute', direction, raw: name });
    } else if (strict) {
      throw orderError(`Invalid order property: ${clip(name)}`, opts.api);
    }
  }
  return terms;
}

function rank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'boolean') return 1;
  return 2;
}

/** Ascending comparison of two present values. */
export function compareOrderValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0 || ra === 1) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  const sa = String(a);
  const sb = String(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

function missing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * A comparator over entities for the terms; `getter(entity, term)` reads the value to sort on
 * (for an attribute term: that attribute's value, or undefined). Missing values sort as NULL in
 * PostgreSQL: last ascending, first descending.
 */
export function buildComparator<T>(terms: readonly OrderTerm[], getter: (entity: T, term: OrderTerm) => unknown): (a: T, b: T) => number {
  return (a, b) => {
    for (const term of terms) {
      const va = getter(a, term);
      const vb = getter(b, term);
      const ma = missing(va);
      const mb = missing(vb);
      let c: number;
      if (ma || mb) c = ma && mb ? 0 : ma ? 1 : -1;
      else c = compareOrderValues(va, vb);
      if (c !== 0) return term.direction === 'desc' ? -c : c;
    }
    return 0;
  };
}

/** Sorts a copy of `items` by the terms (stable). */
export function sortBy<T>(items: readonly T[], terms: readonly OrderTerm[], getter: (entity: T, term: OrderTerm) => unknown): T[] {
  return terms.length === 0 ? items.slice() : items.slice().sort(buildComparator(terms, getter));
}
