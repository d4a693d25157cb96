/**
 * What the upsert needs to know about the key attribute: whether DHIS2 scopes its uniqueness to
 * the registration org unit, whether it is unique at all (the legacy API then treats values
 * differing only in case as the same key), and its value type (numbers compare numerically).
 * Fetched once per client and attribute.
 */
import { raceAbort } from '../client/abort.js';
import type { Dhis2Client } from '../client/dhis2-client.js';
import { HttpError } from '../errors.js';
import type { CountingHttp } from './api/http.js';

export interface AttributeMeta {
  id: string;
  valueType: string;
  unique: boolean;
  orgunitScope: boolean;
}

const cache = new WeakMap<Dhis2Client, Map<string, Promise<AttributeMeta>>>();

export function defaultMeta(id: string): AttributeMeta {
  return { id, valueType: 'TEXT', unique: false, orgunitScope: false };
}

export function attributeMeta(http: CountingHttp, id: string, signal?: AbortSignal): Promise<AttributeMeta> {
  let perClient = cache.get(http.client);
  if (!perClient) {
    perClient = new Map();
    cache.set(http.client, perClient);
  }
  const hit = perClient.get(id);
  if (hit) return raceAbort(hit, signal);
  // Shared by concurrent upserts, so not cancelled by one caller's signal.
  const p = http
    .get<Record<string, unknown>>(`trackedEntityAttributes/${id}`, { fields: 'id,valueType,unique,orgunitScope' })
    .then((res): AttributeMeta => {
      const b = res.body ?? {};
      return {
        id,
        valueType: typeof b.valueType === 'string' ? b.valueType : 'TEXT',
        unique: b.unique === true,
        orgunitScope: b.orgunitScope === true,
      };
    })
    .catch((err: unknown): AttributeMeta => {
      // No metadata access (or an unknown attribute, which the search will report properly):
      // global scope and exact comparison are the safe assumptions.
      if (err instanceof HttpError && err.status >= 400 && err.status < 500) return defaultMeta(id);
      throw err;
    });
  perClient.set(id, p);
  p.catch(() => {
    if (perClient!.get(id) === p) perClient!.delete(id);
  });
  return raceAbort(p, signal);
}

const NUMERIC = new Set(['NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'PERCENTAGE', 'UNIT_INTERVAL']);

/** The server's notion of "the same key value" for an exact match. */
export function sameKeyValue(meta: AttributeMeta, stored: string, wanted: string): boolean {
  if (stored === wanted || stored === wanted.trim()) return true;
  if (NUMERIC.has(meta.valueType)) {
    const a = Number(stored);
    const b = Number(wanted);
    return stored.trim() !== '' && wanted.trim() !== '' && Number.isFinite(a) && a === b;
  }
  return false;
}
