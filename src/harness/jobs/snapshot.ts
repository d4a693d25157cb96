/**
 * The enrollments and events of a run's end state, as the job checks read them: read from the
 * emulator store the entity snapshots come from (its entities hold their enrollments; the event
 * table holds the events), reduced to what the checks compare.
 */
import type { StoredEntity, StoredEvent } from '../../../mock-server/index.js';

export interface EnrollmentSnapshot {
  uid: string;
  trackedEntity: string;
  program: string;
  status: string;
  deleted: boolean;
}

export interface EventSnapshot {
  uid: string;
  trackedEntity: string;
  enrollment: string;
  program: string;
  programStage: string;
  occurredAt?: string;
  deleted: boolean;
  /** data element → value */
  dataValues: Record<string, string>;
}

export interface JobSnapshot {
  enrollments: EnrollmentSnapshot[];
  events: EventSnapshot[];
}

export function jobSnapshotOf(entities: Iterable<StoredEntity>, events: Iterable<StoredEvent>): JobSnapshot {
  const enrollments = [...entities].flatMap((e) =>
    (e.enrollments ?? []).map((en) => ({ uid: en.uid, trackedEntity: e.uid, program: en.program, status: en.status, deleted: en.deleted || e.deleted })),
  );
  return {
    enrollments: enrollments.sort((a, b) => a.uid.localeCompare(b.uid)),
    events: [...events]
      .map((ev) => ({
        uid: ev.uid,
        trackedEntity: ev.trackedEntity,
        enrollment: ev.enrollment,
        program: ev.program,
        programStage: ev.programStage,
        ...(ev.occurredAt ? { occurredAt: ev.occurredAt } : {}),
        deleted: ev.deleted,
        dataValues: Object.fromEntries(ev.dataValues.map((d) => [d.dataElement, d.value])),
      }))
      .sort((a, b) => a.uid.localeCompare(b.uid)),
  };
}

/** Live enrollments of an entity. */
export function liveEnrollments(s: JobSnapshot, entity: string): EnrollmentSnapshot[] {
  return s.enrollments.filter((e) => e.trackedEntity === entity && !e.deleted);
}

/** Live events of an entity in a stage. */
export function liveEvents(s: JobSnapshot, entity: string, stage: string): EventSnapshot[] {
  return s.events.filter((e) => e.trackedEntity === entity && e.programStage === stage && !e.deleted);
}
