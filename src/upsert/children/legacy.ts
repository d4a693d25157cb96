/**
 * Enrollments and events through the legacy `/api/enrollments` and `/api/events` (2.35–2.41).
 * Creates use strategy CREATE so an existing UID is a definite conflict ("already exists or was
 * deleted earlier") rather than a silent update; event updates PUT with mergeDataValues=true, so
 * the values not sent are kept (without it the sent values replace the event's, spec §2.5 and
 * docs/enrollments-events.md).
 */
import { parseLegacyImport } from '../../client/responses.js';
import { HarnessError } from '../../errors.js';
import type { CountingHttp } from '../api/http.js';
import { foundEnrollment, foundEvent, getOrUndefined, listOf } from './read.js';
import type { ChildApi, EnrollmentPayload, EventPayload, FoundEnrollment, FoundEvent } from './types.js';

const ENROLLMENT_FIELDS = 'enrollment,program,trackedEntityInstance,status,enrollmentDate,orgUnit';
const EVENT_FIELDS = 'event,programStage,enrollment,status,eventDate,orgUnit,dataValues[dataElement,value]';

function eventDto(e: EventPayload): Record<string, unknown> {
  return {
    event: e.uid, program: e.program, programStage: e.programStage, enrollment: e.enrollment, trackedEntityInstance: e.trackedEntity,
    orgUnit: e.orgUnit, eventDate: e.occurredAt, status: e.status, dataValues: e.dataValues,
  };
}

/** A 200 answer whose summary is not a success is still a failure (the caller treats it as unknown). */
function expectSuccess(body: unknown, what: string): void {
  const s = parseLegacyImport(body).summaries[0];
  if (!s || s.status === 'ERROR') throw new HarnessError(`${what} answered without a successful import summary: ${JSON.stringify(body).slice(0, 300)}`);
}

export class LegacyChildApi implements ChildApi {
  async readEnrollment(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEnrollment | undefined> {
    return foundEnrollment(await getOrUndefined(http, `enrollments/${uid}`, { fields: ENROLLMENT_FIELDS }, signal), 'legacy');
  }

  async listEnrollments(http: CountingHttp, trackedEntity: string, program: string, signal?: AbortSignal): Promise<FoundEnrollment[]> {
    // an entity named: no org unit needed (EnrollmentController's criteria)
    const res = await http.get('enrollments', { trackedEntityInstance: trackedEntity, program, fields: ENROLLMENT_FIELDS, skipPaging: true }, signal);
    return listOf(res.body, ['enrollments']).map((o) => foundEnrollment(o, 'legacy')).filter((e): e is FoundEnrollment => !!e);
  }

  async createEnrollment(http: CountingHttp, e: EnrollmentPayload, signal?: AbortSignal): Promise<void> {
    const dto = { enrollment: e.uid, trackedEntityInstance: e.trackedEntity, program: e.program, orgUnit: e.orgUnit, enrollmentDate: e.enrolledAt, incidentDate: e.enrolledAt, status: 'ACTIVE' };
    const res = await http.post('enrollments', dto, { strategy: 'CREATE' }, signal);
    expectSuccess(res.body, 'POST /api/enrollments');
  }

  async readEvent(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEvent | undefined> {
    return foundEvent(await getOrUndefined(http, `events/${uid}`, { fields: EVENT_FIELDS }, signal), 'legacy');
  }

  async listEvents(http: CountingHttp, enrollment: string, program: string, programStage: string, signal?: AbortSignal): Promise<FoundEvent[]> {
    const res = await http.get('events', { enrollment, program, programStage, fields: EVENT_FIELDS, skipPaging: true }, signal);
    return listOf(res.body, ['events']).map((o) => foundEvent(o, 'legacy')).filter((e): e is FoundEvent => !!e);
  }

  async createEvent(http: CountingHttp, e: EventPayload, signal?: AbortSignal): Promise<void> {
    const res = await http.post('events', eventDto(e), { strategy: 'CREATE' }, signal);
    expectSuccess(res.body, 'POST /api/events');
  }

  async updateEvent(http: CountingHttp, e: EventPayload, _ctx: unknown, signal?: AbortSignal): Promise<void> {
    // mergeDataValues=true: the stored values count for the compulsory check too (DataValueCheck)
    const res = await http.put(`events/${e.uid}`, eventDto(e), { mergeDataValues: true }, signal);
    expectSuccess(res.body, `PUT /api/events/${e.uid}`);
  }
}
