/**
 * Imitates the OpenFn language-dhis2 2.x `upsertTEI` pattern where the caller's query (with the
 * `program` it enrolls in) is passed through and the record is PUT verbatim, as the DHIS2
 * 2.35–2.41 docs describe ("the payload must contain all attributes"). DHIS2 merges on a plain
 * PUT, but `PUT …?program=<uid>` deletes that program's attributes missing from the payload
 * (spec §2.5), so every attribute of the program the record does not repeat is lost. With no
 * program on the type, the PUT is plain and the loss only happens on servers that follow the docs.
 * Also inherits the check-then-act race and the missing retry of every search-then-write client.
 */
import type { Dhis2Client } from '../client/dhis2-client.js';
import type { HarnessContext } from '../upsert/context-client.js';
import { clientFor } from '../upsert/context-client.js';
import type { UpsertRecord } from '../upsert/record.js';
import { keyValueOf, legacyDto, legacyPost, legacySearch, refuseAmbiguous, type ReferenceResult } from './common.js';

const programByType = new WeakMap<Dhis2Client, Map<string, Promise<string | undefined>>>();

/** The first program registering this type: what a caller enrolling people would pass. */
function programFor(client: Dhis2Client, trackedEntityType: string): Promise<string | undefined> {
  let m = programByType.get(client);
  if (!m) programByType.set(client, (m = new Map()));
  let p = m.get(trackedEntityType);
  if (!p) {
    p = client.get<{ programs?: Array<{ id?: string; trackedEntityType?: { id?: string } | string }> }>('programs', { fields: '*', paging: false }).then((res) => {
      const hit = (res.body?.programs ?? []).find((pr) => {
        const t = pr.trackedEntityType;
        return (typeof t === 'string' ? t : t?.id) === trackedEntityType;
      });
      return hit?.id;
    });
    m.set(trackedEntityType, p);
    p.catch(() => m!.delete(trackedEntityType));
  }
  return p;
}

export async function callerQueryVerbatimPut(record: UpsertRecord, ctx: HarnessContext): Promise<ReferenceResult> {
  const client = clientFor(ctx);
  const program = await programFor(client, record.trackedEntityType);
  const hits = await legacySearch(
    client,
    { ouMode: 'ACCESSIBLE', trackedEntityType: record.trackedEntityType, filter: `${record.matchAttribute}:EQ:${keyValueOf(record)}` },
    ctx.signal,
  );
  refuseAmbiguous(hits, record);
  if (hits.length === 0) {
    return { uid: await legacyPost(client, legacyDto(record), ctx.signal), action: 'created' };
  }
  const uid = hits[0].uid;
  await client.put(`trackedEntityInstances/${uid}`, { ...legacyDto(record), trackedEntityInstance: uid }, program ? { program } : undefined, { signal: ctx.signal });
  return { uid, action: 'updated' };
}
