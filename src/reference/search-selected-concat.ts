/**
 * Imitates OpenFn language-dhis2 2.x / adaptors 3–5 `upsertTEI` with the caller's `ou`: the search
 * uses the default ouMode (SELECTED) at the record's org unit, so an entity registered at any
 * other org unit is invisible and a second one is created (or, for a unique key, the POST fails
 * with 'Non-unique attribute value' and nothing retries). Updates PUT old and new attributes
 * concatenated. More than one match is an error, as in those versions.
 */
import type { HarnessContext } from '../upsert/context-client.js';
import { clientFor } from '../upsert/context-client.js';
import type { UpsertRecord } from '../upsert/record.js';
import { keyValueOf, legacyDto, legacyPost, legacySearch, refuseAmbiguous, type ReferenceResult } from './common.js';

export async function searchSelectedConcat(record: UpsertRecord, ctx: HarnessContext): Promise<ReferenceResult> {
  const client = clientFor(ctx);
  const hits = await legacySearch(
    client,
    { ou: record.orgUnit, trackedEntityType: record.trackedEntityType, filter: `${record.matchAttribute}:EQ:${keyValueOf(record)}` },
    ctx.signal,
  );
  refuseAmbiguous(hits, record);
  if (hits.length === 0) {
    return { uid: await legacyPost(client, legacyDto(record), ctx.signal), action: 'created' };
  }
  const hit = hits[0];
  await client.put(
    `trackedEntityInstances/${hit.uid}`,
    { ...legacyDto(record, [...hit.attributes, ...record.attributes]), trackedEntityInstance: hit.uid },
    undefined,
    { signal: ctx.signal },
  );
  return { uid: hit.uid, action: 'updated' };
}
