/**
 * Imitates OpenFn language-dhis2 1.4 `upsertTEI` on the legacy API: ACCESSIBLE search by key,
 * silently takes the FIRST match when there are several, and PUTs the old attribute list with
 * the new one appended (every attribute sent twice). Known bugs: writes into one of several
 * duplicates (ambiguity is not safe); check-then-act race (two runs both see 0 and both POST
 * without a UID); no retry, so a lost response either fails the run or, when repeated by the
 * caller, creates a second entity.
 */
import type { HarnessContext } from '../upsert/context-client.js';
import { clientFor } from '../upsert/context-client.js';
import type { UpsertRecord } from '../upsert/record.js';
import { keyValueOf, legacyDto, legacyPost, legacySearch, type ReferenceResult } from './common.js';

export async function searchAccessibleTakeFirstConcat(record: UpsertRecord, ctx: HarnessContext): Promise<ReferenceResult> {
  const client = clientFor(ctx);
  const hits = await legacySearch(
    client,
    { ouMode: 'ACCESSIBLE', trackedEntityType: record.trackedEntityType, filter: `${record.matchAttribute}:EQ:${keyValueOf(record)}` },
    ctx.signal,
  );
  if (hits.length === 0) {
    return { uid: await legacyPost(client, legacyDto(record), ctx.signal), action: 'created' };
  }
  const first = hits[0];
  const concatenated = [...first.attributes, ...record.attributes];
  await client.put(`trackedEntityInstances/${first.uid}`, { ...legacyDto(record, concatenated), trackedEntityInstance: first.uid }, undefined, { signal: ctx.signal });
  return { uid: first.uid, action: 'updated' };
}
