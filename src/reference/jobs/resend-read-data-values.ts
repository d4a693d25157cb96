/**
 * Imitates jobs that update a visit by reading the event, laying the record's data values over
 * what they read, and sending the whole set back. Alone it is right; two runs that change
 * different data values of one visit at once each send the other's old value back, and the
 * later write silently undoes the earlier one (a lost update).
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import type { HarnessContext } from '../../upsert/context-client.js';
import { eventPayload, type JobEvent, type JobRecord, readEvent, runJob, trackerImport, visitUid } from './common.js';

async function readModifyWrite(client: Dhis2Client, te: string, enrollment: string, program: string, ev: JobEvent, orgUnit: string, signal?: AbortSignal): Promise<void> {
  const uid = visitUid(te, ev);
  const read = await readEvent(client, uid, signal);
  const merged = new Map((read?.dataValues ?? []).map((d) => [d.dataElement, d.value]));
  for (const d of ev.dataValues) merged.set(d.dataElement, d.value);
  const dataValues = [...merged].map(([dataElement, value]) => ({ dataElement, value }));
  await trackerImport(client, { events: [eventPayload(uid, enrollment, program, ev, orgUnit, dataValues)] }, read ? 'UPDATE' : 'CREATE', signal);
}

export const resendReadDataValues = (record: JobRecord, ctx: HarnessContext) => runJob(record, ctx, { visit: readModifyWrite });
