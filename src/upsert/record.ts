/**
 * The upsert record (interfaces.md) and its validation at the boundary: everything after this
 * file may assume valid UIDs, string values and a present key.
 */
import { z } from 'zod';
import { InvalidRecordError } from '../errors.js';
import { isValidUid } from '../uid.js';
import { enrollmentProblems, enrollmentsSchema, normaliseEnrollments, type RecordEnrollment, type ValidEnrollment } from './record-enrollments.js';

export type { DataValue, EventStatus, RecordEnrollment, RecordEvent, ValidEnrollment, ValidEvent } from './record-enrollments.js';

export interface AttributeValue {
  attribute: string;
  value: string;
}

export interface UpsertRecord {
  trackedEntityType: string;
  orgUnit: string;
  matchAttribute: string;
  attributes: AttributeValue[];
  /** Enrollments (with their events) the entity must have; absent = the entity alone, as before. */
  enrollments?: RecordEnrollment[];
}

/** A record after parseRecord: enrollments (when given) with every list present. */
export interface ValidRecord extends UpsertRecord {
  enrollments?: ValidEnrollment[];
}

const uid = z.string().refine(isValidUid, { message: 'must be a DHIS2 UID (11 characters, a letter first)' });
// Numbers and booleans are common in caller data; DHIS2 stores every value as text anyway, and
// trims it (the legacy importer does; the tracker importer stores what it gets, so a padded value
// sent there would be a different key to every later search).
const value = z.union([z.string(), z.number().finite(), z.boolean()]).transform((v) => String(v).trim());

const recordSchema = z.object({
  trackedEntityType: uid,
  orgUnit: uid,
  matchAttribute: uid,
  attributes: z.array(z.object({ attribute: uid, value })).min(1),
  enrollments: enrollmentsSchema.optional(),
});

/** Validates and normalises a record; throws InvalidRecordError with every problem listed. */
export function parseRecord(input: unknown): ValidRecord {
  const parsed = recordSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
    throw new InvalidRecordError(
      `Invalid upsert record (${problems}). Expected {trackedEntityType, orgUnit, matchAttribute, attributes: [{attribute, value}], ` +
        `enrollments?: [{program, orgUnit?, enrolledAt, events?: [{programStage, key, occurredAt, orgUnit?, status?, dataValues?: [{dataElement, value}]}]}]}.`,
    );
  }
  const rec = parsed.data;
  const byAttr = new Map<string, string>();
  for (const a of rec.attributes) {
    const prev = byAttr.get(a.attribute);
    if (prev !== undefined && prev !== a.value) {
      throw new InvalidRecordError(`Attribute ${a.attribute} appears twice with different values (${JSON.stringify(prev)}, ${JSON.stringify(a.value)}); send it once.`);
    }
    byAttr.set(a.attribute, a.value);
  }
  const key = byAttr.get(rec.matchAttribute);
  if (key === undefined || key.trim() === '') {
    throw new InvalidRecordError(
      `The record has no value for its matchAttribute ${rec.matchAttribute}: add {attribute: '${rec.matchAttribute}', value: …} to attributes.`,
    );
  }
  const out: ValidRecord = {
    trackedEntityType: rec.trackedEntityType,
    orgUnit: rec.orgUnit,
    matchAttribute: rec.matchAttribute,
    attributes: [...byAttr].map(([attribute, v]) => ({ attribute, value: v })),
  };
  if (rec.enrollments === undefined) return out;
  const enrollments = rec.enrollments as ValidEnrollment[];
  const problems = enrollmentProblems(enrollments);
  if (problems.length > 0) throw new InvalidRecordError(`Invalid upsert record (${problems.join('; ')}).`);
  return { ...out, enrollments: normaliseEnrollments(enrollments) };
}

/** The key value of a validated record. */
export function recordKey(rec: UpsertRecord): string {
  return rec.attributes.find((a) => a.attribute === rec.matchAttribute)!.value;
}
