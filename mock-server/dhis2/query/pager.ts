/**
 * Pager objects and list bodies per API and version (spec §2.2, §3.7 table, §5).
 *
 * - Metadata / legacy: DHIS2's `Pager` — `pageCount` = max(1, ceil(total / pageSize)), the rendered
 *   `page` clamped into [1, pageCount], `pageSize` < 1 rendered as 1. Links follow
 *   `DefaultLinkService.generatePagerLinks`: `<endpoint>?page=N[&pageSize=S][&other params]`, the
 *   `pageSize` only when not 50, the other parameters (all but page/pageSize) form-encoded like
 *   Java's URLEncoder; the previous link of page 2 has no `page`. The legacy TEI controller does not
 *   generate links, so pass no `links` there.
 * - Tracker 2.36–2.40: flat `page`, `pageSize`, plus `total` (and from 2.38 `pageCount`) when
 *   `totalPages=true`; 2.41: a `pager` object plus the same flat copies; 2.42+: `pager` only, with
 *   `prevPage`/`nextPage` full URLs (the request's parameters with `page` replaced; format inferred).
 */
import type { Dhis2Version } from '../versions.js';
import { DEFAULT_PAGE_SIZE, type Paging } from './paging.js';
import { paramValues, type RawQuery } from './params.js';

export interface MetadataPager {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  nextPage?: string;
  prevPage?: string;
}

export interface TrackerPager {
  page: number;
  pageSize: number;
  total?: number;
  pageCount?: number;
  prevPage?: string;
  nextPage?: string;
}

export interface PagerLinks {
  /** Absolute or server-relative URL of the collection, without a query (`/api/programs`). */
  endpoint: string;
  /** The request's query parameters, in order. */
  query?: RawQuery;
}

/** `java.net.URLEncoder.encode(s, "UTF-8")`: space → `+`, only `A-Za-z0-9.-*_` unescaped. */
export function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function otherParams(query: RawQuery | undefined, encode: (s: string) => string): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (name === 'page' || name === 'pageSize') continue;
    for (const value of paramValues(raw)) parts.push(`${encode(name)}=${encode(value)}`);
  }
  return parts.join('&');
}

export function pageCount(total: number, pageSize: number): number {
  const size = pageSize > 0 ? pageSize : 1;
  return Math.max(1, Math.ceil(Math.max(0, total) / size));
}

/** DHIS2's `Pager` with `DefaultLinkService` links when `links` is given. */
export function buildPager(paging: Paging, total: number, links?: PagerLinks): MetadataPager {
  const pageSize = paging.pageSize > 0 ? paging.pageSize : 1;
  const count = pageCount(total, pageSize);
  const page = Math.min(Math.max(1, paging.page), count);
  const pager: MetadataPager = { page, pageCount: count, total: Math.max(0, total), pageSize };
  if (!links) return pager;
  const params = otherParams(links.query, javaUrlEncode);
  const sizePart = pageSize === DEFAULT_PAGE_SIZE ? '' : `&pageSize=${pageSize}`;
  const tail = params === '' ? '' : `&${params}`;
  if (page < count) pager.nextPage = `${links.endpoint}?page=${page + 1}${sizePart}${tail}`;
  if (page > 1) {
    if (page - 1 === 1) {
      const query = pageSize === DEFAULT_PAGE_SIZE ? params : `pageSize=${pageSize}${tail}`;
      pager.prevPage = query === '' ? links.endpoint : `${links.endpoint}?${query}`;
    } else {
      pager.prevPage = `${links.endpoint}?page=${page - 1}${sizePart}${tail}`;
    }
  }
  return pager;
}

function trackerLink(links: PagerLinks, page: number): string {
  const params = otherParams(links.query, encodeURIComponent);
  return `${links.endpoint}?${params === '' ? '' : `${params}&`}page=${page}`;
}

/** The tracker pager (unclamped requested page, as the tracker API renders it). */
export function buildTrackerPager(paging: Paging, total: number, version: Dhis2Version, links?: PagerLinks): TrackerPager {
  const pager: TrackerPager = { page: paging.page, pageSize: paging.pageSize };
  const count = pageCount(total, paging.pageSize);
  if (paging.totalPages) {
    pager.total = total;
    if (version.atLeast('2.38')) pager.pageCount = count;
  }
  if (version.atLeast('2.42') && links) {
    if (paging.page > 1) pager.prevPage = trackerLink(links, paging.page - 1);
    if (paging.page * paging.pageSize < total) pager.nextPage = trackerLink(links, paging.page + 1);
  }
  return pager;
}

/**
 * A tracker export list body for the version: `instances` ≤ 2.40, the collection's own name 2.41+
 * (`trackedEntities`, `enrollments`, `events`).
 */
export function trackerListBody<T>(
  items: readonly T[], paging: Paging, total: number, version: Dhis2Version, links?: PagerLinks,
  collection: 'trackedEntities' | 'enrollments' | 'events' = 'trackedEntities',
): Record<string, unknown> {
  const key = version.atLeast('2.41') ? collection : 'instances';
  if (paging.all) return { [key]: items };
  const pager = buildTrackerPager(paging, total, version, links);
  if (version.below('2.41')) return { [key]: items, ...pager };
  if (version.below('2.42')) return { pager, ...pager, [key]: items };
  return { pager, [key]: items };
}

/** Legacy `GET /api/trackedEntityInstances` body: a pager only with paging on and `totalPages=true`. */
export function legacyListBody<T>(items: readonly T[], paging: Paging, total: number): Record<string, unknown> {
  if (paging.all || !paging.totalPages) return { trackedEntityInstances: items };
  return { pager: buildPager(paging, total), trackedEntityInstances: items };
}

/** Metadata list body: `{pager, <collection>: [...]}`, no pager with `paging=false`. */
export function metadataListBody<T>(
  collection: string, items: readonly T[], paging: Paging, total: number, links?: PagerLinks,
): Record<string, unknown> {
  if (paging.all) return { [collection]: items };
  return { pager: buildPager(paging, total, links), [collection]: items };
}
