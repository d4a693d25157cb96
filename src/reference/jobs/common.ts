/**
 * Shared plumbing of the job references (issue 17): records with enrollments and events. Each
 * reference gets one part of the job wrong, the way the field does; the rest is done here
 * correctly, so that its finding is about that one part: the entity through the robust core,
 * the enrollment found or created under a UID derived from (entity, program, date), and visits
 * written under a UID derived from (entity, stage, source key) through the tracker importer,
 * which merges the data values of an update.
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import { Dhis2ConflictError, HarnessError } from '../../errors.js';
import type { HarnessContext } from '../../upsert/context-client.js';
import { clientFor } from '../../upsert/context-client.js';
import type { UpsertRecord } from '../../upsert/record.js';
import { upsertTrackedEntity } from '../../upsert/upsert.js';
import { deterministicUid } from '../../uid.js';

/** The demo's data element where integrations keep their visit id (docs/enrollments-events.md). */
export const SOURCE_KEY = 'SrcVisitId1';

export interface JobEvent {
  programStage: string;
  key: string;
  occurredAt: string;
  orgUnit?: string;
  status?: string;
  dataValues: { dataElement: string; value: string }[];
}

export interface JobEnrollment {
  program: string;
  orgUnit?: string;
  enrolledAt: string;
  events: JobEvent[];
}

/** The record as the job references read it (the issue 17 shape; absent enrollments: none). */
export type JobRecord = UpsertRecord & { enrollments?: JobEnrollment[] };

type Obj = Record<string, unknown>;

/** The entity part, correct: the robust core, with the record's enrollments left out. */
export async function upsertEntity(record: JobRecord, ctx: HarnessContext): Promise<EntityResult> {
  const { enrollments: _e, ...entity } = record;
  const env = ctx.clock ? { env: { now: () => ctx.clock!.now(), sleep: (ms: number, signal?: AbortSignal) => ctx.clock!.sleep(ms, signal) } } : {};
  const r = await upsertTrackedEntity(clientFor(ctx), entity, { signal: ctx.signal, ...env });
  return { uid: r.uid, action: r.action };
}

/** What a job reports: the entity's UID and what was done to the entity (the harness checks the action). */
export interface EntityResult {
  uid: string;
  action: 'created' | 'updated' | 'unchanged';
}

function listOf(body: unknown, name: string): Obj[] {
  const b = (body ?? {}) as Obj;
  const list = (b[name] ?? b.instances) as unknown;
  return Array.isArray(list) ? (list as Obj[]) : [];
}

/** `POST /api/tracker` (sync); a refused import answers 409, which the client throws. */
export async function trackerImport(client: Dhis2Client, payload: Obj, importStrategy: string, signal?: AbortSignal): Promise<void> {
  const res = await client.post<Obj>('tracker', payload, { async: false, importStrategy }, { signal });
  const status = ((res.body?.response as Obj | undefined)?.status ?? res.body?.status) as string | undefined;
  if (status === 'ERROR') throw new HarnessError(`POST /api/tracker: ${JSON.stringify(res.body).slice(0, 200)}`);
}

export async function enrollmentsOf(client: Dhis2Client, te: string, program: string, signal?: AbortSignal): Promise<{ uid: string; status: string }[]> {
  const res = await client.get<Obj>('tracker/enrollments', { trackedEntity: te, program, fields: 'enrollment,status' }, { signal });
  return listOf(res.body, 'enrollments').map((e) => ({ uid: String(e.enrollment), status: String(e.status) }));
}

export function enrollmentPayload(uid: string | undefined, te: string, en: JobEnrollment, orgUnit: string): Obj {
  return { ...(uid ? { enrollment: uid } : {}), trackedEntity: te, program: en.program, orgUnit: en.orgUnit ?? orgUnit, enrolledAt: en.enrolledAt, occurredAt: en.enrolledAt, status: 'ACTIVE' };
}

/**
 * Runs a write once more when DHIS2 refused it with a conflict: a twin run created the same
 * derived UID first (the uid constraint), and the second attempt finds it and updates.
 */
export async function onceMoreOnConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof Dhis2ConflictError)) throw err;
    return write();
  }
}

/** The enrollment part, correct: the active one if there is one, else one under a derived UID (a racing twin fails on it). */
export function ensureEnrollment(client: Dhis2Client, te: string, en: JobEnrollment, orgUnit: string, signal?: AbortSignal): Promise<string> {
  return onceMoreOnConflict(async () => {
    const active = (await enrollmentsOf(client, te, en.program, signal)).find((e) => e.status === 'ACTIVE');
    if (active) return active.uid;
    const uid = deterministicUid('job-enrollment', te, en.program, en.enrolledAt);
    await trackerImport(client, { enrollments: [enrollmentPayload(uid, te, en, orgUnit)] }, 'CREATE_AND_UPDATE', signal);
    return uid;
  });
}

/** The UID a correct job gives a visit: one per entity, stage and source key. */
export function visitUid(te: string, ev: JobEvent): string {
  return deterministicUid('job-event', te, ev.programStage, ev.key);
}

export function eventPayload(uid: string | undefined, enrollment: string, program: string, ev: JobEvent, orgUnit: string, dataValues = ev.dataValues): Obj {
  return {
    ...(uid ? { event: uid } : {}),
    enrollment,
    program,
    programStage: ev.programStage,
    orgUnit: ev.orgUnit ?? orgUnit,
    occurredAt: ev.occurredAt,
    status: ev.status ?? 'ACTIVE',
    dataValues: [...dataValues.filter((d) => d.dataElement !== SOURCE_KEY), { dataElement: SOURCE_KEY, value: ev.key }],
  };
}

/** The event part, correct: CREATE_AND_UPDATE under the visit's derived UID (an update merges the data values). */
export async function writeVisit(client: Dhis2Client, te: string, enrollment: string, program: string, ev: JobEvent, orgUnit: string, signal?: AbortSignal): Promise<void> {
  await onceMoreOnConflict(() => trackerImport(client, { events: [eventPayload(visitUid(te, ev), enrollment, program, ev, orgUnit)] }, 'CREATE_AND_UPDATE', signal));
}

/** An event by UID, or undefined when there is none (404). */
export async function readEvent(client: Dhis2Client, uid: string, signal?: AbortSignal): Promise<{ dataValues: { dataElement: string; value: string }[] } | undefined> {
  try {
    const res = await client.get<Obj>(`tracker/events/${uid}`, { fields: 'event,dataValues' }, { signal });
    const dvs = Array.isArray(res.body?.dataValues) ? (res.body.dataValues as Obj[]) : [];
    return { dataValues: dvs.map((d) => ({ dataElement: String(d.dataElement), value: String(d.value) })) };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

export interface JobParts {
  enrollment?: (client: Dhis2Client, te: string, en: JobEnrollment, orgUnit: string, signal?: AbortSignal) => Promise<string>;
  visit?: (client: Dhis2Client, te: string, enrollment: string, program: string, ev: JobEvent, orgUnit: string, signal?: AbortSignal) => Promise<void>;
  entity?: (record: JobRecord, ctx: HarnessContext) => Promise<EntityResult>;
}

/** A whole job: the entity, then each enrollment and its visits in order, each part replaceable by a buggy one. */
export async function runJob(record: JobRecord, ctx: HarnessContext, parts: JobParts = {}): Promise<EntityResult> {
  const client = clientFor(ctx);
  const result = await (parts.entity ?? upsertEntity)(record, ctx);
  const te = result.uid;
  for (const en of record.enrollments ?? []) {
    const enrollment = await (parts.enrollment ?? ensureEnrollment)(client, te, en, record.orgUnit, ctx.signal);
    for (const ev of en.events) await (parts.visit ?? writeVisit)(client, te, enrollment, en.program, ev, record.orgUnit, ctx.signal);
  }
  return result;
}
