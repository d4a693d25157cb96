import type { NextFunction, Request, Response } from 'express';
import type { Dhis2Version } from '../dhis2/versions.js';

/** The oldest numeric prefix any release maps: DhisApiVersion starts at V28 (2.35 … 2.42). */
export const OLDEST_API_VERSION = 28;

/**
 * The numeric `/api/NN/` prefixes a release serves. Up to 2.42, CustomRequestMappingHandlerMapping
 * registers every controller once per DhisApiVersion value, and each release's enum runs from V28
 * to its own number (2.35's DhisApiVersion: V28 … V35, DEFAULT = V35). So 2.40 serves `/api/28/`
 * … `/api/40/` and nothing else: `/api/41/me` or `/api/99/me` reach no handler (404), `/api/27/`
 * too. (2.43 replaced the mappings with ApiVersionFilter, regex 28–43, PR #20739; not emulated.)
 */
export function mapsApiVersion(version: Dhis2Version, n: number): boolean {
  return n >= OLDEST_API_VERSION && n <= version.minor;
}

/** The numeric prefix of a request path, if any (`/api/41/tracker` → 41). */
export function apiVersionOf(path: string): number | undefined {
  // the mappings were literal "/api/40/…" patterns: "/api/040/" matches none of them
  const m = /^\/api\/([1-9]\d*)(?=\/)/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/**
 * `/api/40/trackedEntityInstances.json` → `/api/trackedEntityInstances` when the release maps 40;
 * an unmapped prefix is left alone so that it reaches no route and gets the 404. A `.json` suffix
 * selects the format on the RootNode endpoints (spec §1).
 */
export function normalisePath(version: () => Dhis2Version) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const q = req.url.indexOf('?');
    const path = q >= 0 ? req.url.slice(0, q) : req.url;
    const prefix = apiVersionOf(path);
    let normalised = prefix !== undefined && mapsApiVersion(version(), prefix) ? path.replace(/^\/api\/[1-9]\d*(?=\/)/, '/api') : path;
    normalised = normalised.replace(/\.json$/, '');
    if (normalised !== path) req.url = normalised + (q >= 0 ? req.url.slice(q) : '');
    // Express 5's `req.query` is a getter that re-parses the query string on every read, and a
    // search route reads it half a dozen times: parse once and keep the result on the request.
    Object.defineProperty(req, 'query', { value: req.query, writable: true, configurable: true, enumerable: true });
    next();
  };
}
