/**
 * `page`, `pageSize`, `totalPages`, `skipPaging`, `paging` per API and version (spec §2.2, §3.7, §5).
 *
 * What each flavour does (from the DHIS2 source where found, else marked inferred):
 * - legacy `/api/trackedEntityInstances` and tracker 2.36–2.40 (criteria beans):
 *   `page` ≤ 0 → 1 and `pageSize` < 0 → 50 silently (`getPageWithDefault` /
 *   `getPageSizeWithDefault`); `pageSize=0` gives an empty page; `skipPaging=true` → all;
 *   `paging=false` → all only on 2.35 legacy (2.36+ and the tracker API before 2.41 ignore `paging`).
 * - tracker 2.41+: `paging=false` (2.41 also `skipPaging=true`) → all; `page` < 1 → 400
 *   `page must be greater than or equal to 1 if specified`; `pageSize` < 1 → 400
 *   `pageSize must be greater than or equal to 1 if specified`; skipping paging together with
 *   `page`, `pageSize` or `totalPages=true` → 400 `Paging cannot be skipped with …` (prefix from the
 *   DHIS2 tests, rest inferred); `skipPaging` and `paging` both given on 2.41 → 400 `Only one
 *   parameter of 'skipPaging' and 'paging' must be specified. …`. 2.42 ignores `skipPaging`.
 * - metadata lists: `paging=false` → all; a non-numeric value falls back to the default and
 *   `page`/`pageSize` below 1 become 1 (WebOptions + Pager clamping; inferred). `totalPages` is
 *   implied (metadata always renders a pager when paging).
 * A value that is not an integer (`page=abc`) or a boolean (`totalPages=maybe`) is a type mismatch:
 * `Value 'abc' is not valid for parameter page. It should be of type Integer` — wording inferred,
 * status 409 on the legacy API, 400 elsewhere.
 */
import type { Dhis2Version } from '../versions.js';
import { clip, QueryError, type QueryErrorStatus } from './errors.js';
import { firstValue, parseBool, type RawQuery } from './params.js';

export type PagingApi = 'legacy' | 'tracker' | 'metadata';

export interface PagingOptions {
  api: PagingApi;
  version: Dhis2Version;
}

export interface Paging {
  /** No paging: every item is returned and no pager is rendered. */
  all: boolean;
  page: number;
  pageSize: number;
  /** Whether the total (and page count) is computed and rendered. */
  totalPages: boolean;
}

export const DEFAULT_PAGE = 1;
export const DEFAULT_PAGE_SIZE = 50;
const INT_MAX = 2_147_483_647;

function pagingError(message: string, status: QueryErrorStatus): QueryError {
  return new QueryError('INVALID_PAGING', message, status);
}

/** Spring's Integer conversion of a request parameter (trimmed; decimal only), else undefined. */
export function parseJavaInt(raw: string): number | undefined {
  const s = raw.trim();
  let i = s[0] === '-' || s[0] === '+' ? 1 : 0;
  if (i === s.length) return undefined;
  for (; i < s.length; i++) if (s[i] < '0' || s[i] > '9') return undefined;
  const n = Number(s);
  return n >= -INT_MAX - 1 && n <= INT_MAX ? n : undefined;
}

function typeMismatch(name: string, value: string, type: string, status: QueryErrorStatus): QueryError {
  return pagingError(`Value '${clip(value)}' is not valid for parameter ${name}. It should be of type ${type}`, status);
}

function readInt(query: RawQuery, name: string, status: QueryErrorStatus, lenient: boolean): number | undefined {
  const raw = firstValue(query[name]);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = parseJavaInt(raw);
  if (n === undefined && !lenient) throw typeMismatch(name, raw, 'Integer', status);
  return n;
}

function readBool(query: RawQuery, name: string, status: QueryErrorStatus, lenient: boolean): boolean | undefined {
  const raw = firstValue(query[name]);
  if (raw === undefined || raw.trim() === '') return undefined;
  const b = parseBool(raw);
  if (b === undefined && !lenient) throw typeMismatch(name, raw, 'Boolean', status);
  return b;
}

export function parsePaging(query: RawQuery, opts: PagingOptions): Paging {
  if (opts.api === 'metadata') return metadataPaging(query);
  if (opts.api === 'tracker' && opts.version.atLeast('2.41')) return trackerPaging(query, opts.version);
  const status: QueryErrorStatus = opts.api === 'legacy' ? 409 : 400;
  const page = readInt(query, 'page', status, false);
  const pageSize = readInt(query, 'pageSize', status, false);
  const totalPages = readBool(query, 'totalPages', status, false) ?? false;
  const skipPaging = readBool(query, 'skipPaging', status, false) ?? false;
  const legacy235 = opts.api === 'legacy' && opts.version.below('2.36');
  const pagingOff = legacy235 && readBool(query, 'paging', status, false) === false;
  return {
    all: skipPaging || pagingOff,
    page: page !== undefined && page > 0 ? page : DEFAULT_PAGE,
    pageSize: pageSize !== undefined && pageSize >= 0 ? pageSize : DEFAULT_PAGE_SIZE,
    totalPages,
  };
}

function metadataPaging(query: RawQuery): Paging {
  const page = readInt(query, 'page', 400, true) ?? DEFAULT_PAGE;
  const pageSize = readInt(query, 'pageSize', 400, true) ?? DEFAULT_PAGE_SIZE;
  return {
    all: readBool(query, 'paging', 400, true) === false,
    page: Math.max(1, page),
    pageSize: Math.max(1, pageSize),
    totalPages: true,
  };
}

function trackerPaging(query: RawQuery, version: Dhis2Version): Paging {
  const page = readInt(query, 'page', 400, false);
  const pageSize = readInt(query, 'pageSize', 400, false);
  const totalPages = readBool(query, 'totalPages', 400, false);
  const paging = readBool(query, 'paging', 400, false);
  const skipPaging = version.below('2.42') ? readBool(query, 'skipPaging', 400, false) : undefined;
  if (paging !== undefined && skipPaging !== undefined) {
    throw pagingError(
      "Only one parameter of 'skipPaging' and 'paging' must be specified. Prefer 'paging' as 'skipPaging' will be removed.",
      400,
    );
  }
  const all = paging === false || skipPaging === true;
  if (all && (page !== undefined || pageSize !== undefined || totalPages === true)) {
    throw pagingError('Paging cannot be skipped with page, pageSize or totalPages=true. Remove paging=false or them.', 400);
  }
  if (page !== undefined && page < 1) throw pagingError('page must be greater than or equal to 1 if specified', 400);
  if (pageSize !== undefined && pageSize < 1) {
    throw pagingError('pageSize must be greater than or equal to 1 if specified', 400);
  }
  return { all, page: page ?? DEFAULT_PAGE, pageSize: pageSize ?? DEFAULT_PAGE_SIZE, totalPages: totalPages ?? false };
}

/** Offset of the first item on the page. */
export function pageOffset(paging: Paging): number {
  return (paging.page - 1) * paging.pageSize;
}

/** The items of the requested page (all of them when paging is off). */
export function slice<T>(items: readonly T[], paging: Paging): T[] {
  if (paging.all) return items.slice();
  const start = pageOffset(paging);
  return items.slice(start, start + paging.pageSize);
}
