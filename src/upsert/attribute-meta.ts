/**
 * What the upsert needs to know about the key attribute: whether DHIS2 scopes its uniqueness to
 * the registration org unit, whether it is unique at all (the legacy API then treats values
 * differing only in case as the same key), and its value type (numbers compare numerically).
 * Fetched once per client and attribute (answers only; failures are never cached).
 */
import { HttpError, MetadataAccessError } from '../errors.js';
import { normalizedKeyValue } from '../uid.js';
import type { CountingHttp } from './api/http.js';
import { MetadataCache } from './metadata-cache.js';

export interface AttributeMeta {
  id: string;
  valueType: string;
  unique: boolean;
  orgunitScope: boolean;
}

const cache = new MetadataCache<AttributeMeta>();

export function defaultMeta(id: string): AttributeMeta {
  return { id, valueType: 'TEXT', unique: false, orgunitScope: false };
}

/**
 * Only what the server answered is cached: a failed read (429, 5xx, a dropped connection) is
 * retried by the caller's retry budget and asked again next time, never remembered as an answer.
 * A 404 (no such attribute) gives the plain defaults, uncached: the search then reports the
 * attribute properly. A 403 is an error: guessing "not org-unit scoped" could merge patients.
 */
export function attributeMeta(http: CountingHttp, id: string, signal?: AbortSignal): Promise<AttributeMeta> {
  const read = () =>
    http.get<Record<string, unknown>>(`trackedEntityAttributes/${id}`, { fields: 'id,valueType,unique,orgunitScope' }).then((res): AttributeMeta => {
      const b = res.body ?? {};
      return {
        id,
        valueType: typeof b.valueType === 'string' ? b.valueType : 'TEXT',
        unique: b.unique === true,
        orgunitScope: b.orgunitScope === true,
      };
    });
  return cache.read(http.client, id, read, signal).catch((err: unknown): AttributeMeta => {
    if (err instanceof HttpError && err.status === 404) return defaultMeta(id);
    if (err instanceof HttpError && err.status === 403) throw new MetadataAccessError(`tracked entity attribute ${id}`, err);
    throw err;
  });
}

/** The server's notion of "the same key value": trimmed, case-insensitive for text, numerically equal for numbers. */
export function sameKeyValue(meta: AttributeMeta, stored: string, wanted: string): boolean {
  const a = normalizedKeyValue(stored, meta.valueType);
  return a !== '' && a === normalizedKeyValue(wanted, meta.valueType);
}
