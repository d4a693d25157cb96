/**
 * Imitates jobs that post a visit to /api/tracker with importStrategy=CREATE_AND_UPDATE and no
 * event UID, trusting "create and update" to find the visit (the entity and enrollment parts are
 * done right). DHIS2 matches events only by UID and mints a new one when none is sent, so a
 * second run, or a rerun after a lost answer, records the visit again (a non-repeatable stage
 * refuses the second one with E1039 instead).
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import type { HarnessContext } from '../../upsert/context-client.js';
import { eventPayload, type JobEvent, type JobRecord, runJob, trackerImport } from './common.js';

async function postWithoutUid(client: Dhis2Client, _te: string, enrollment: string, program: string, ev: JobEvent, orgUnit: string, signal?: AbortSignal): Promise<void> {
  await trackerImport(client, { events: [eventPayload(undefined, enrollment, program, ev, orgUnit)] }, 'CREATE_AND_UPDATE', signal);
}

export const trackerEventsNoUid = (record: JobRecord, ctx: HarnessContext) => runJob(record, ctx, { visit: postWithoutUid });
