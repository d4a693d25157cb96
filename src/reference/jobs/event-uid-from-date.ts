/**
 * Imitates integrations that identify a visit by its date: the event UID is derived from the
 * patient, the stage and the day it occurred, never from the source system's visit id. Re-runs
 * are idempotent, so it looks right in testing; but two visits of one patient in one stage on
 * the same day are one event to it: the second overwrites the first (its data values lost), and
 * a visit whose date is corrected becomes a second event.
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import type { HarnessContext } from '../../upsert/context-client.js';
import { deterministicUid } from '../../uid.js';
import { eventPayload, type JobEvent, type JobRecord, runJob, trackerImport } from './common.js';

async function visitByDate(client: Dhis2Client, te: string, enrollment: string, program: string, ev: JobEvent, orgUnit: string, signal?: AbortSignal): Promise<void> {
  const uid = deterministicUid('visit-by-date', te, ev.programStage, ev.occurredAt.slice(0, 10));
  await trackerImport(client, { events: [eventPayload(uid, enrollment, program, ev, orgUnit)] }, 'CREATE_AND_UPDATE', signal);
}

export const eventUidFromDate = (record: JobRecord, ctx: HarnessContext) => runJob(record, ctx, { visit: visitByDate });
