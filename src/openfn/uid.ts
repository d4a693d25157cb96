/**
 * The tracked entity UID an OpenFn job's final `state.data` carries, from any of the response
 * shapes real clients see (real-clients.md): a legacy POST's ImportSummaries, a legacy PUT's
 * ImportSummary, a tracker import report, or a single entity / a one-entity search result.
 */
import { isValidUid } from '../uid.js';

type Path = (string | number)[];

const RESPONSE_PATHS: Path[] = [
  // legacy POST /api/trackedEntityInstances (adaptor 8.x upsert, 0 matches): WebMessage around ImportSummaries
  ['response', 'importSummaries', 0, 'reference'],
  // the same without the WebMessage wrapper (older servers, some proxies)
  ['importSummaries', 0, 'reference'],
  // legacy PUT /api/trackedEntityInstances/{uid} (adaptor 8.x upsert, 1 match): ImportSummary
  ['response', 'reference'],
  // POST /api/tracker?async=false (adaptor 8.x upsert('trackedEntities')): the import report
  ['bundleReport', 'typeReportMap', 'TRACKED_ENTITY', 'objectReports', 0, 'uid'],
  ['response', 'bundleReport', 'typeReportMap', 'TRACKED_ENTITY', 'objectReports', 0, 'uid'],
  // a job that ends on an entity of its own, or returns one
  ['reference'],
  ['uid'],
  ['trackedEntity'],
  ['trackedEntityInstance'],
];

/** Lists of entities a search answers; a UID is taken only when exactly one entity is listed. */
const SEARCH_LISTS: [string, string][] = [
  ['trackedEntityInstances', 'trackedEntityInstance'],
  ['trackedEntities', 'trackedEntity'],
  ['instances', 'trackedEntity'],
];

function at(value: unknown, path: Path): unknown {
  let v = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

/** The UID in a response body (an OpenFn state's `data`), or undefined. */
export function uidFromResponse(data: unknown): string | undefined {
  for (const path of RESPONSE_PATHS) {
    const uid = at(data, path);
    if (isValidUid(uid)) return uid;
  }
  for (const [list, field] of SEARCH_LISTS) {
    const items = at(data, [list]);
    if (Array.isArray(items) && items.length === 1 && isValidUid(at(items[0], [field]))) return at(items[0], [field]) as string;
  }
  return undefined;
}

/** The UID in a final OpenFn state: its `data`. */
export function uidFromState(state: unknown): string | undefined {
  return uidFromResponse(at(state, ['data']));
}
