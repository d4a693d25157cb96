/**
 * The enrollments and events of an upsert record (issue 17) and their validation. Everything after
 * this file may assume valid UIDs, dates DHIS2 accepts, trimmed non-empty event keys unique per
 * stage within the record, and string data values.
 */
import { z } from 'zod';
import { isValidUid } from '../uid.js';

/** DHIS2's EventStatus (org.hisp.dhis.event.EventStatus): the values both importers accept. */
export const EVENT_STATUSES = ['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface DataValue {
  dataElement: string;
  /** '' deletes a stored value (both APIs treat a blank value as a deletion) */
  value: string;
}

export interface RecordEvent {
  programStage: string;
  /** The source system's identifier of the event, unique per entity and stage: its identity. */
  key: string;
  /** YYYY-MM-DD or an ISO date-time */
  occurredAt: string;
  /** defaults to the enrollment's org unit */
  orgUnit?: string;
  /** sent on create (DHIS2 defaults to ACTIVE) and compared on later runs only when given */
  status?: EventStatus;
  dataValues?: DataValue[];
}

export interface RecordEnrollment {
  program: string;
  /** defaults to the record's org unit */
  orgUnit?: string;
  /** YYYY-MM-DD or an ISO date-time; also the incident date */
  enrolledAt: string;
  events?: RecordEvent[];
}

/** After validation: every list present. */
export interface ValidEvent extends RecordEvent {
  dataValues: DataValue[];
}
export interface ValidEnrollment extends RecordEnrollment {
  events: ValidEvent[];
}

const uid = z.string().refine(isValidUid, { message: 'must be a DHIS2 UID (11 characters, a letter first)' });
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendar date that exists (2026-02-30 does not), alone or at the start of an ISO date-time. */
export function isDhis2Date(s: string): boolean {
  if (!DATE.test(s) && !DATE_TIME.test(s)) return false;
  const [y, m, d] = s.slice(0, 10).split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
}

const date = z.string().trim().refine(isDhis2Date, { message: 'must be a date YYYY-MM-DD or an ISO date-time (YYYY-MM-DDTHH:mm[:ss[.SSS]][Z|±hh:mm])' });
// as attribute values: DHIS2 stores text, so numbers and booleans are accepted and turned into it
const value = z.union([z.string(), z.number().finite(), z.boolean()]).transform((v) => String(v).trim());

const eventSchema = z.object({
  programStage: uid,
  key: z.string().trim().min(1, { message: 'must be a non-empty string (the source system\'s event id)' }),
  occurredAt: date,
  orgUnit: uid.optional(),
  status: z.enum(EVENT_STATUSES, { message: `must be one of ${EVENT_STATUSES.join(', ')}` }).optional(),
  dataValues: z.array(z.object({ dataElement: uid, value })).default([]),
});

export const enrollmentsSchema = z.array(
  z.object({
    program: uid,
    orgUnit: uid.optional(),
    enrolledAt: date,
    events: z.array(eventSchema).default([]),
  }),
);

/** Cross-field rules zod cannot say per field; each problem as `path: message`. */
export function enrollmentProblems(list: readonly ValidEnrollment[]): string[] {
  const problems: string[] = [];
  const enrollments = new Set<string>();
  const keys = new Map<string, string>();
  list.forEach((en, i) => {
    const id = `${en.program}|${en.enrolledAt.slice(0, 10)}`;
    if (enrollments.has(id)) problems.push(`enrollments.${i}: program ${en.program} is enrolled twice on ${en.enrolledAt.slice(0, 10)}; send it once`);
    enrollments.add(id);
    en.events.forEach((ev, j) => {
      const at = `enrollments.${i}.events.${j}`;
      const k = JSON.stringify([ev.programStage, ev.key]);
      const prev = keys.get(k);
      if (prev) problems.push(`${at}.key: ${JSON.stringify(ev.key)} is used twice for stage ${ev.programStage} (also at ${prev}); an event key must be unique per entity and stage`);
      else keys.set(k, at);
      const values = new Map<string, string>();
      ev.dataValues.forEach((dv, n) => {
        const before = values.get(dv.dataElement);
        if (before !== undefined && before !== dv.value) {
          problems.push(`${at}.dataValues.${n}: data element ${dv.dataElement} appears twice with different values (${JSON.stringify(before)}, ${JSON.stringify(dv.value)})`);
        }
        values.set(dv.dataElement, dv.value);
      });
    });
  });
  return problems;
}

/** One value per data element (a duplicate with the same value is harmless and dropped). */
export function normaliseEnrollments(list: readonly ValidEnrollment[]): ValidEnrollment[] {
  return list.map((en) => ({
    ...en,
    events: en.events.map((ev) => {
      const byDe = new Map(ev.dataValues.map((d) => [d.dataElement, d.value]));
      return { ...ev, dataValues: [...byDe].map(([dataElement, v]) => ({ dataElement, value: v })) };
    }),
  }));
}
