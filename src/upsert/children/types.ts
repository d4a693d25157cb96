/** Results and per-API operations for an entity's enrollments and events (issue 17). */
import type { CountingHttp } from '../api/http.js';
import type { DataValue, EventStatus } from '../record-enrollments.js';

/** created | updated | unchanged, as for the entity (an enrollment is never updated: see docs/core.md). */
export type ChildAction = 'created' | 'updated' | 'unchanged';

export interface EnrollmentResult {
  program: string;
  uid: string;
  action: ChildAction;
}

export interface EventResult {
  programStage: string;
  key: string;
  uid: string;
  action: ChildAction;
}

export interface ChildResults {
  enrollments: EnrollmentResult[];
  events: EventResult[];
}

export interface FoundEnrollment {
  uid: string;
  program?: string;
  trackedEntity?: string;
  status?: string;
  /** as the server renders it (date or date-time) */
  enrolledAt?: string;
  orgUnit?: string;
}

export interface FoundEvent {
  uid: string;
  programStage?: string;
  enrollment?: string;
  status?: string;
  occurredAt?: string;
  orgUnit?: string;
  dataValues: DataValue[];
}

export interface EnrollmentPayload {
  uid: string;
  trackedEntity: string;
  program: string;
  orgUnit: string;
  enrolledAt: string;
}

export interface EventPayload {
  uid: string;
  trackedEntity: string;
  enrollment: string;
  program: string;
  programStage: string;
  orgUnit: string;
  occurredAt: string;
  status: EventStatus | string;
  /** create: every non-blank value; update: what changes plus what DHIS2 requires (see event.ts) */
  dataValues: DataValue[];
}

/** What the enrollment and event upsert needs from a write API. Creates never update (strategy CREATE). */
export interface ChildApi {
  readEnrollment(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEnrollment | undefined>;
  /** the entity's live enrollments in the program, oldest first */
  listEnrollments(http: CountingHttp, trackedEntity: string, program: string, signal?: AbortSignal): Promise<FoundEnrollment[]>;
  createEnrollment(http: CountingHttp, e: EnrollmentPayload, signal?: AbortSignal): Promise<void>;
  readEvent(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEvent | undefined>;
  /** the enrollment's live events in the stage, oldest first */
  listEvents(http: CountingHttp, enrollment: string, program: string, programStage: string, signal?: AbortSignal): Promise<FoundEvent[]>;
  createEvent(http: CountingHttp, e: EventPayload, signal?: AbortSignal): Promise<void>;
  /**
   * Data values not sent are kept (legacy mergeDataValues=true, tracker's merge). `stored` and
   * `compulsory` let an API add what its importer demands in the payload (tracker: see data-values.ts).
   */
  updateEvent(http: CountingHttp, e: EventPayload, ctx: { stored: FoundEvent; compulsory: string[]; validateOnUpdate: boolean }, signal?: AbortSignal): Promise<void>;
}
