/**
 * Base URL normalisation and query encoding. Users paste whatever they have (`http://host`,
 * `http://host/dhis/api`, `http://host/api/40/`), so the client derives one origin, the servlet
 * context path and the API prefix once, and builds every request path from those.
 */
import { InvalidOptionsError } from '../errors.js';

export interface NormalisedBaseUrl {
  /** `http://host:port` */
  origin: string;
  /** The servlet context path without a trailing slash: '' or e.g. '/dhis'. */
  contextPath: string;
  /** Where API paths are resolved: contextPath + '/api' or contextPath + '/api/40'. */
  apiPrefix: string;
  /** The numeric API version from the URL (`/api/40` → 40), if any. */
  apiVersion?: number;
}

export function normaliseBaseUrl(input: string): NormalisedBaseUrl {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new InvalidOptionsError(`baseUrl '${input}' is not a URL: use e.g. http://localhost:8080 or https://play.dhis2.org/40`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionsError(`baseUrl '${input}' must use http or https`);
  }
  if (url.username || url.password) {
    throw new InvalidOptionsError(`baseUrl '${input}' must not carry credentials: pass them as auth instead`);
  }
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  let apiVersion: number | undefined;
  let apiIndex = segments.lastIndexOf('api');
  if (apiIndex >= 0 && apiIndex < segments.length - 2) apiIndex = -1;
  if (apiIndex >= 0 && apiIndex === segments.length - 2) {
    const v = segments[segments.length - 1];
    if (/^\d{2}$/.test(v)) apiVersion = Number(v);
    else apiIndex = -1;
  }
  const contextSegments = apiIndex >= 0 ? segments.slice(0, apiIndex) : segments;
  const contextPath = contextSegments.length ? '/' + contextSegments.join('/') : '';
  const apiPrefix = contextPath + '/api' + (apiVersion !== undefined ? `/${apiVersion}` : '');
  return { origin: url.origin, contextPath, apiPrefix, apiVersion };
}

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;
export type Query = Record<string, QueryValue>;

/**
 * Arrays become repeated parameters (`filter=a&filter=b`), the form every DHIS2 version accepts
 * for the legacy `filter`. Undefined and null are dropped so callers can pass optional values.
 */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || raw === null) continue;
    const values = Array.isArray(raw) ? raw : [raw as string | number | boolean];
    for (const v of values) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * `path` is relative to the API prefix (`trackedEntityInstances`, `/system/info`); a path that
 * already starts with `api/` or `/api/` is taken relative to the context path instead.
 */
export function resolvePath(base: NormalisedBaseUrl, path: string, query?: Query): string {
  const trimmed = path.replace(/^\/+/, '');
  const full = /^api(\/|$)/.test(trimmed) ? `${base.contextPath}/${trimmed}` : `${base.apiPrefix}/${trimmed}`;
  return full + encodeQuery(query);
}
