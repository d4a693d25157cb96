/**
 * Imitates OpenFn adaptors ≥ 6 on `/api/tracker`: one POST with importStrategy=CREATE_AND_UPDATE
 * and no `trackedEntity` UID. DHIS2 matches only by UID and mints a new one when none is sent
 * (spec §0.2, §6), so every call creates: a second entity per call when the key attribute is not
 * unique (or uniqueness loses a race), and an E1064 failure on the second call when it is.
 */
import type { HarnessContext } from '../upsert/context-client.js';
import { clientFor } from '../upsert/context-client.js';
import type { UpsertRecord } from '../upsert/record.js';
import { type ReferenceResult, trackerPost } from './common.js';

export async function trackerNoUid(record: UpsertRecord, ctx: HarnessContext): Promise<ReferenceResult> {
  const client = clientFor(ctx);
  const uid = await trackerPost(
    client,
    { trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes },
    'CREATE_AND_UPDATE',
    ctx.signal,
  );
  return { uid, action: 'created' };
}
