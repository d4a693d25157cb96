/**
 * The classic search-then-create most hand-written integrations use: search by key with the
 * type across the accessible scope; 0 → create without a UID; 1 → update that entity; more → error.
 * Legacy API up to 2.41, tracker API on 2.42 where the legacy one is gone. Known bugs: the
 * check-then-act race (two concurrent runs both see 0 and both create; with DHIS2's racy
 * uniqueness check even a unique key can end up twice), and no retry or stable UID, so a create
 * whose response is lost and is repeated creates a second entity.
 */
import type { HarnessContext } from '../upsert/context-client.js';
import { clientFor } from '../upsert/context-client.js';
import type { UpsertRecord } from '../upsert/record.js';
import { keyValueOf, legacyDto, legacyPost, legacySearch, refuseAmbiguous, type ReferenceResult, trackerPost, trackerSearch } from './common.js';

export async function naiveSearchThenCreate(record: UpsertRecord, ctx: HarnessContext): Promise<ReferenceResult> {
  const client = clientFor(ctx);
  const legacy = (await client.detectVersion(ctx.signal)).minor < 42;
  const hits = legacy
    ? await legacySearch(
        client,
        { ouMode: 'ACCESSIBLE', trackedEntityType: record.trackedEntityType, filter: `${record.matchAttribute}:EQ:${keyValueOf(record)}` },
        ctx.signal,
      )
    : await trackerSearch(client, record, ctx.signal);
  refuseAmbiguous(hits, record);
  if (hits.length === 0) {
    const uid = legacy
      ? await legacyPost(client, legacyDto(record), ctx.signal)
      : await trackerPost(client, { trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes }, 'CREATE_AND_UPDATE', ctx.signal);
    return { uid, action: 'created' };
  }
  const uid = hits[0].uid;
  if (legacy) {
    await client.put(`trackedEntityInstances/${uid}`, { ...legacyDto(record), trackedEntityInstance: uid }, undefined, { signal: ctx.signal });
  } else {
    await trackerPost(client, { trackedEntity: uid, trackedEntityType: record.trackedEntityType, orgUnit: hits[0].orgUnit ?? record.orgUnit, attributes: record.attributes }, 'UPDATE', ctx.signal);
  }
  return { uid, action: 'updated' };
}
