/**
 * Tracker imports before 2.39.6, 2.40.5 and 2.41.1 check a tracked entity type's mandatory
 * attributes against the payload alone (E1090, spec §3.2), so an update there must repeat them.
 * Every other update sends only what changes and lets the server merge: resending values it read
 * earlier would overwrite a concurrent update of an attribute the record does not mention.
 */
import { raceAbort } from '../client/abort.js';
import type { Dhis2Client } from '../client/dhis2-client.js';
import { HttpError } from '../errors.js';
import type { CountingHttp } from './api/http.js';

interface VersionLike {
  minor: number;
  patch: number;
}

export function payloadOnlyMandatoryCheck(v: VersionLike): boolean {
  if (v.minor < 36) return false;
  if (v.minor <= 38) return true;
  if (v.minor === 39) return v.patch < 6;
  if (v.minor === 40) return v.patch < 5;
  if (v.minor === 41) return v.patch < 1;
  return false;
}

const cache = new WeakMap<Dhis2Client, Map<string, Promise<ReadonlySet<string>>>>();
const NONE: ReadonlySet<string> = new Set();

/** Mandatory attribute UIDs of a tracked entity type, fetched once per client and type. */
export function mandatoryAttributes(http: CountingHttp, trackedEntityType: string, signal?: AbortSignal): Promise<ReadonlySet<string>> {
  let perClient = cache.get(http.client);
  if (!perClient) cache.set(http.client, (perClient = new Map()));
  let p = perClient.get(trackedEntityType);
  if (!p) {
    p = http
      .get<{ trackedEntityTypeAttributes?: { mandatory?: boolean; trackedEntityAttribute?: { id?: string } }[] }>(
        `trackedEntityTypes/${trackedEntityType}`,
        { fields: 'trackedEntityTypeAttributes[mandatory,trackedEntityAttribute[id]]' },
      )
      .then((res) => new Set((res.body?.trackedEntityTypeAttributes ?? []).filter((a) => a.mandatory && a.trackedEntityAttribute?.id).map((a) => a.trackedEntityAttribute!.id!)))
      .catch((err: unknown) => {
        // without metadata access the server will say E1090 itself, naming the attribute
        if (err instanceof HttpError && err.status >= 400 && err.status < 500) return NONE;
        throw err;
      });
    perClient.set(trackedEntityType, p);
    const settled = p;
    settled.catch(() => perClient!.get(trackedEntityType) === settled && perClient!.delete(trackedEntityType));
  }
  return raceAbort(p, signal);
}
