import { normaliseValue, type SentAttribute } from '../attribute-values.js';
import type { SentDataValue } from '../events/data-values.js';
import { isObject, PayloadError, readArray, readBoolean, readString, requireObject } from '../payload.js';
import { generateUid, isUid, type SeededRandom } from '../random.js';
import type { Dhis2Version } from '../versions.js';
import { badRequest } from '../web-message.js';

/** A tracked entity of the payload after flattening, with its UID decided (sent or minted). */
export interface TrackerTeInput {
  uid: string;
  /** position in the flattened bundle (the object report `index`) */
  index: number;
  trackedEntityType?: string;
  orgUnit?: string;
  inactive?: boolean;
  potentialDuplicate?: boolean;
  geometry?: unknown;
  createdAtClient?: string;
  updatedAtClient?: string;
  attributes: SentAttribute[];
}

export interface TrackerEnrollmentInput {
  uid: string;
  index: number;
  trackedEntity?: string;
  program?: string;
  orgUnit?: string;
  enrolledAt?: string;
  occurredAt?: string;
  status?: string;
  followUp?: boolean;
  attributes: SentAttribute[];
}

export interface TrackerEventInput {
  uid: string;
  index: number;
  enrollment?: string;
  program?: string;
  programStage?: string;
  orgUnit?: string;
  /** as sent; validated against the EventStatus enum while reading */
  status?: string;
  occurredAt?: string;
  scheduledAt?: string;
  completedAt?: string;
  completedBy?: string;
  storedBy?: string;
  followUp?: boolean;
  geometry?: unknown;
  createdAtClient?: string;
  updatedAtClient?: string;
  dataValues: SentDataValue[];
}

export interface TrackerBundleInput {
  trackedEntities: TrackerTeInput[];
  enrollments: TrackerEnrollmentInput[];
  events: TrackerEventInput[];
}

const TE_CLASS = 'org.hisp.dhis.tracker.domain.TrackedEntity';
const EN_CLASS = 'org.hisp.dhis.tracker.domain.Enrollment';
const EV_CLASS = 'org.hisp.dhis.tracker.domain.Event';
const EVENT_STATUSES = ['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED'];

/**
 * Reads `{trackedEntities, enrollments, events, relationships}` (flat or nested; spec §3.1 Body).
 * Nested enrollments are flattened after the flat ones and point at their parent; events likewise
 * (flat ones first, then those nested in each enrollment, in the flattened enrollment order).
 * Missing UIDs are minted here, before validation, as BodyConverter does, so reports name the
 * generated UID. 2.42+ types `trackedEntity`/`enrollment`/`event` as UID: a malformed one fails
 * JSON reading with 400. Values are not trimmed; an empty string reads as null (Jackson, spec §1).
 * An event status outside the EventStatus enum is a JSON mapping error. Relationships are
 * accepted and ignored.
 */
export function readTrackerBody(body: unknown, version: Dhis2Version, rng: SeededRandom): TrackerBundleInput {
  try {
    return read(body, version, rng);
  } catch (err) {
    // The new API's message converter answers JSON mapping problems with 400 (legacy: 409).
    if (err instanceof PayloadError && err.status !== 400) throw badRequest(err.message);
    throw err;
  }
}

function read(body: unknown, version: Dhis2Version, rng: SeededRandom): TrackerBundleInput {
  const root = requireObject(body ?? {}, '$', 'org.hisp.dhis.webapi.controller.tracker.imports.Body');
  const typedUid = version.atLeast('2.42');
  const uidOf = (raw: string | undefined, path: string): string => {
    if (raw === undefined) return generateUid(rng);
    const shown = raw.slice(0, 100);
    if (typedUid && !isUid(raw)) {
      throw badRequest(
        `JSON parse error: Cannot deserialize value of type \`org.hisp.dhis.common.UID\` from String "${shown}" at ${path}: ` +
          `UID must be an alphanumeric string of 11 characters starting with a letter, but was: ${shown}`,
      );
    }
    return raw;
  };
  const trackedEntities: TrackerTeInput[] = [];
  const nested: { raw: Record<string, unknown>; path: string; parent: string }[] = [];
  (readArray(root, 'trackedEntities', '$') ?? []).forEach((raw, i) => {
    const path = `$.trackedEntities[${i}]`;
    const o = requireObject(raw, path, TE_CLASS);
    const uid = uidOf(readString(o, 'trackedEntity', path), `${path}.trackedEntity`);
    trackedEntities.push({
      uid,
      index: i,
      trackedEntityType: readString(o, 'trackedEntityType', path),
      orgUnit: readString(o, 'orgUnit', path),
      inactive: readBoolean(o, 'inactive', path),
      potentialDuplicate: readBoolean(o, 'potentialDuplicate', path),
      geometry: isObject(o.geometry) ? o.geometry : undefined,
      createdAtClient: readString(o, 'createdAtClient', path),
      updatedAtClient: readString(o, 'updatedAtClient', path),
      attributes: readAttributes(o, path),
    });
    (readArray(o, 'enrollments', path) ?? []).forEach((en, j) => {
      nested.push({ raw: requireObject(en, `${path}.enrollments[${j}]`, EN_CLASS), path: `${path}.enrollments[${j}]`, parent: uid });
    });
  });
  const flat = (readArray(root, 'enrollments', '$') ?? []).map((en, j) => ({
    raw: requireObject(en, `$.enrollments[${j}]`, EN_CLASS), path: `$.enrollments[${j}]`, parent: undefined as string | undefined,
  }));
  const nestedEvents: { raw: Record<string, unknown>; path: string; parent: string }[] = [];
  const enrollments = [...flat, ...nested].map(({ raw, path, parent }, index): TrackerEnrollmentInput => {
    const uid = uidOf(readString(raw, 'enrollment', path), `${path}.enrollment`);
    (readArray(raw, 'events', path) ?? []).forEach((ev, k) => {
      nestedEvents.push({ raw: requireObject(ev, `${path}.events[${k}]`, EV_CLASS), path: `${path}.events[${k}]`, parent: uid });
    });
    return readEnrollment(raw, path, parent, uid, index);
  });
  const flatEvents = (readArray(root, 'events', '$') ?? []).map((ev, k) => ({
    raw: requireObject(ev, `$.events[${k}]`, EV_CLASS), path: `$.events[${k}]`, parent: undefined as string | undefined,
  }));
  const events = [...flatEvents, ...nestedEvents].map(({ raw, path, parent }, index): TrackerEventInput => ({
    uid: uidOf(readString(raw, 'event', path), `${path}.event`),
    index,
    enrollment: parent ?? readString(raw, 'enrollment', path),
    program: readString(raw, 'program', path),
    programStage: readString(raw, 'programStage', path),
    orgUnit: readString(raw, 'orgUnit', path),
    status: readEventStatus(raw, path),
    occurredAt: readString(raw, 'occurredAt', path),
    scheduledAt: readString(raw, 'scheduledAt', path),
    completedAt: readString(raw, 'completedAt', path),
    completedBy: readString(raw, 'completedBy', path),
    storedBy: readString(raw, 'storedBy', path),
    followUp: readBoolean(raw, 'followUp', path) ?? readBoolean(raw, 'followup', path),
    geometry: isObject(raw.geometry) ? raw.geometry : undefined,
    createdAtClient: readString(raw, 'createdAtClient', path),
    updatedAtClient: readString(raw, 'updatedAtClient', path),
    dataValues: readDataValues(raw, path),
  }));
  readArray(root, 'relationships', '$');
  return { trackedEntities, enrollments, events };
}

function readEnrollment(raw: Record<string, unknown>, path: string, parent: string | undefined, uid: string, index: number): TrackerEnrollmentInput {
  return {
    uid,
    index,
    trackedEntity: parent ?? readString(raw, 'trackedEntity', path),
    program: readString(raw, 'program', path),
    orgUnit: readString(raw, 'orgUnit', path),
    enrolledAt: readString(raw, 'enrolledAt', path),
    occurredAt: readString(raw, 'occurredAt', path),
    status: readString(raw, 'status', path),
    followUp: readBoolean(raw, 'followUp', path),
    attributes: readAttributes(raw, path),
  };
}

function readEventStatus(raw: Record<string, unknown>, path: string): string | undefined {
  const status = readString(raw, 'status', path);
  if (status === undefined || EVENT_STATUSES.includes(status)) return status;
  throw new PayloadError(
    `JSON parse error: Cannot deserialize value of type \`org.hisp.dhis.event.EventStatus\` from String "${status.slice(0, 100)}": ` +
      `not one of the values accepted for Enum class: [${EVENT_STATUSES.join(', ')}]`,
    400,
  );
}

function readDataValues(obj: Record<string, unknown>, path: string): SentDataValue[] {
  return (readArray(obj, 'dataValues', path) ?? []).map((raw, i) => {
    const p = `${path}.dataValues[${i}]`;
    const d = requireObject(raw, p, 'org.hisp.dhis.tracker.domain.DataValue');
    return { dataElement: readString(d, 'dataElement', p) ?? '', value: normaliseValue(d.value, false), providedElsewhere: readBoolean(d, 'providedElsewhere', p) };
  });
}

function readAttributes(obj: Record<string, unknown>, path: string): SentAttribute[] {
  return (readArray(obj, 'attributes', path) ?? []).map((raw, i) => {
    const a = requireObject(raw, `${path}.attributes[${i}]`, 'org.hisp.dhis.tracker.domain.Attribute');
    return { attribute: readString(a, 'attribute', `${path}.attributes[${i}]`) ?? '', value: normaliseValue(a.value, false) };
  });
}
