/**
 * Enrollments and events through the tracker API (2.36+): `POST /api/tracker` with CREATE (an
 * existing UID is a definite E1080/E1030, a soft-deleted one E1113/E1082) or UPDATE, atomicMode
 * ALL; reads from `/api/tracker/enrollments` and `/api/tracker/events` (list key `instances` up to
 * 2.40, `enrollments`/`events` from 2.41; paging and enrollment parameters renamed in 2.41, §3.7).
 */
import type { Dhis2VersionInfo } from '../../client/version.js';
import { HarnessError } from '../../errors.js';
import type { CountingHttp } from '../api/http.js';
import { TrackerApi } from '../api/tracker.js';
import { requiredExtras } from './data-values.js';
import { foundEnrollment, foundEvent, getOrUndefined, listOf } from './read.js';
import type { ChildApi, EnrollmentPayload, EventPayload, FoundEnrollment, FoundEvent } from './types.js';

const ENROLLMENT_FIELDS = 'enrollment,program,trackedEntity,status,enrolledAt,orgUnit';
const EVENT_FIELDS = 'event,programStage,enrollment,status,occurredAt,orgUnit,dataValues[dataElement,value]';

function eventDto(e: EventPayload): Record<string, unknown> {
  return {
    event: e.uid, program: e.program, programStage: e.programStage, enrollment: e.enrollment, trackedEntity: e.trackedEntity,
    orgUnit: e.orgUnit, occurredAt: e.occurredAt, status: e.status, dataValues: e.dataValues,
  };
}

export class TrackerChildApi implements ChildApi {
  private readonly importer: TrackerApi;
  constructor(readonly version: Dhis2VersionInfo, sleep?: (ms: number, signal?: AbortSignal) => Promise<void>) {
    this.importer = new TrackerApi(version, sleep);
  }

  private get modern(): boolean {
    return this.version.minor >= 41;
  }

  private paging() {
    return this.modern ? { paging: false } : { skipPaging: true };
  }

  private async write(http: CountingHttp, payload: Record<string, unknown>, strategy: 'CREATE' | 'UPDATE', uid: string, signal?: AbortSignal): Promise<void> {
    const r = await this.importer.importPayload(http, payload, strategy, 'ALL', signal);
    // with atomicMode ALL a rejection is a 409 (thrown as Dhis2ConflictError); anything else is odd
    if (r.status === 'ERROR' || r.errors.length > 0) {
      throw new HarnessError(`POST /api/tracker (${strategy}) reported errors for ${uid}: ${JSON.stringify(r.errors).slice(0, 300)}${r.message ? ` ${r.message}` : ''}`);
    }
  }

  async readEnrollment(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEnrollment | undefined> {
    return foundEnrollment(await getOrUndefined(http, `tracker/enrollments/${uid}`, { fields: ENROLLMENT_FIELDS }, signal), 'tracker');
  }

  async listEnrollments(http: CountingHttp, trackedEntity: string, program: string, signal?: AbortSignal): Promise<FoundEnrollment[]> {
    const res = await http.get('tracker/enrollments', { trackedEntity, program, fields: ENROLLMENT_FIELDS, ...this.paging() }, signal);
    return listOf(res.body, ['enrollments', 'instances']).map((o) => foundEnrollment(o, 'tracker')).filter((e): e is FoundEnrollment => !!e);
  }

  createEnrollment(http: CountingHttp, e: EnrollmentPayload, signal?: AbortSignal): Promise<void> {
    // occurredAt (the incident date) too: programs that display it require it (E1023)
    const dto = { enrollment: e.uid, trackedEntity: e.trackedEntity, program: e.program, orgUnit: e.orgUnit, enrolledAt: e.enrolledAt, occurredAt: e.enrolledAt, status: 'ACTIVE' };
    return this.write(http, { enrollments: [dto] }, 'CREATE', e.uid, signal);
  }

  async readEvent(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEvent | undefined> {
    return foundEvent(await getOrUndefined(http, `tracker/events/${uid}`, { fields: EVENT_FIELDS }, signal), 'tracker');
  }

  async listEvents(http: CountingHttp, enrollment: string, program: string, programStage: string, signal?: AbortSignal): Promise<FoundEvent[]> {
    const q = { [this.modern ? 'enrollments' : 'enrollment']: enrollment, program, programStage, fields: EVENT_FIELDS, ...this.paging() };
    const res = await http.get('tracker/events', q, signal);
    return listOf(res.body, ['events', 'instances']).map((o) => foundEvent(o, 'tracker')).filter((e): e is FoundEvent => !!e);
  }

  createEvent(http: CountingHttp, e: EventPayload, signal?: AbortSignal): Promise<void> {
    return this.write(http, { events: [eventDto(e)] }, 'CREATE', e.uid, signal);
  }

  updateEvent(http: CountingHttp, e: EventPayload, ctx: { stored: FoundEvent; compulsory: string[]; validateOnUpdate: boolean }, signal?: AbortSignal): Promise<void> {
    // the importer checks compulsory values against the payload alone (DataValuesValidator, E1303)
    const needed = ctx.validateOnUpdate || e.status === 'COMPLETED';
    const dataValues = needed ? [...e.dataValues, ...requiredExtras(ctx.stored.dataValues, e.dataValues, ctx.compulsory)] : e.dataValues;
    return this.write(http, { events: [eventDto({ ...e, dataValues })] }, 'UPDATE', e.uid, signal);
  }
}
