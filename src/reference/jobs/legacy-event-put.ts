/**
 * Imitates jobs built on the legacy events API (2.35–2.41): the visit is found under its derived
 * UID and updated with `PUT /api/events/{uid}` carrying the record's data values only. Without
 * `mergeDataValues=true` the legacy importer replaces the event's data values with those sent
 * (dhis2-core dhis-service-dxf2 .../deprecated/tracker/importer/context/EventDataValueAggregator.java),
 * so a value another record of the visit set, and this one does not mention, is dropped.
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import type { HarnessContext } from '../../upsert/context-client.js';
import { type JobEvent, type JobRecord, runJob, SOURCE_KEY, visitUid } from './common.js';

async function exists(client: Dhis2Client, uid: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.get(`events/${uid}`, { fields: 'event' }, { signal });
    return true;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return false;
    throw err;
  }
}

async function legacyPut(client: Dhis2Client, te: string, enrollment: string, program: string, ev: JobEvent, orgUnit: string, signal?: AbortSignal): Promise<void> {
  const uid = visitUid(te, ev);
  const dto = {
    event: uid,
    program,
    programStage: ev.programStage,
    enrollment,
    trackedEntityInstance: te,
    orgUnit: ev.orgUnit ?? orgUnit,
    eventDate: ev.occurredAt,
    status: ev.status ?? 'ACTIVE',
    dataValues: [...ev.dataValues.filter((d) => d.dataElement !== SOURCE_KEY), { dataElement: SOURCE_KEY, value: ev.key }],
  };
  if (await exists(client, uid, signal)) await client.put(`events/${uid}`, dto, undefined, { signal });
  else await client.post('events', dto, undefined, { signal });
}

export const legacyEventPut = (record: JobRecord, ctx: HarnessContext) => runJob(record, ctx, { visit: legacyPut });
