/**
 * Imitates jobs that fetch the patient's visits, apply the record to what they fetched and post
 * every visit back (the "get the tracked entity with everything, change it, import it again"
 * pattern). Alone it is right; when another run changes a visit between this run's fetch and its
 * import, the import sends that visit's old data values back and silently undoes the other run's
 * change (a lost update), even for a visit this record never mentioned.
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import { clientFor, type HarnessContext } from '../../upsert/context-client.js';
import { trackerSearch } from '../common.js';
import { ensureEnrollment, eventPayload, type JobRecord, onceMoreOnConflict, SOURCE_KEY, trackerImport, upsertEntity, visitUid } from './common.js';

type Obj = Record<string, unknown>;

async function fetchVisits(client: Dhis2Client, te: string, program: string, signal?: AbortSignal): Promise<Obj[]> {
  const res = await client.get<Obj>('tracker/events', { trackedEntity: te, program, fields: 'event,enrollment,program,programStage,orgUnit,occurredAt,status,dataValues[dataElement,value]' }, { signal });
  const list = (res.body?.events ?? res.body?.instances) as unknown;
  return Array.isArray(list) ? (list as Obj[]) : [];
}

export async function resendReadDataValues(record: JobRecord, ctx: HarnessContext) {
  const client = clientFor(ctx);
  // the patient and its visits fetched first, as a job that computes its import from one snapshot does
  const { enrollments: _e, ...entity } = record;
  const found = (await trackerSearch(client, entity, ctx.signal))[0]?.uid;
  const snapshot = new Map<string, Obj[]>();
  for (const en of record.enrollments ?? []) snapshot.set(en.program, found ? await fetchVisits(client, found, en.program, ctx.signal) : []);
  const result = await upsertEntity(record, ctx);
  const te = result.uid;
  for (const en of record.enrollments ?? []) {
    let fetched = te === found ? (snapshot.get(en.program) ?? []) : [];
    const enrollment = await ensureEnrollment(client, te, en, record.orgUnit, ctx.signal);
    const importAll = async () => {
      const byUid = new Map(fetched.map((e) => [String(e.event), { ...e, dataValues: [...((e.dataValues as Obj[] | undefined) ?? [])] }]));
      for (const ev of en.events) {
        const uid = visitUid(te, ev);
        const old = byUid.get(uid);
        const merged = new Map(((old?.dataValues ?? []) as Obj[]).map((d) => [String(d.dataElement), String(d.value)]));
        for (const d of ev.dataValues) merged.set(d.dataElement, d.value);
        merged.delete(SOURCE_KEY);
        byUid.set(uid, eventPayload(uid, enrollment, en.program, ev, record.orgUnit, [...merged].map(([dataElement, value]) => ({ dataElement, value }))) as never);
      }
      await trackerImport(client, { events: [...byUid.values()] }, 'CREATE_AND_UPDATE', ctx.signal);
    };
    let first = true;
    // a twin run that created a visit first: fetch again and import again
    await onceMoreOnConflict(async () => {
      if (!first) fetched = await fetchVisits(client, te, en.program, ctx.signal);
      first = false;
      await importAll();
    });
  }
  return result;
}
