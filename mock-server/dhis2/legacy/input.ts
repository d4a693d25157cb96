import { normaliseValue, type SentAttribute } from '../attribute-values.js';
import { isObject, readArray, readBoolean, readString, requireObject } from '../payload.js';
import { readLegacyEvent, type LegacyEventInput } from './event-input.js';

export interface LegacyEnrollmentInput {
  enrollment?: string;
  /** /api/enrollments: the entity to enroll (nested in a TEI: that TEI) */
  trackedEntityInstance?: string;
  program?: string;
  orgUnit?: string;
  enrollmentDate?: string;
  incidentDate?: string;
  status?: string;
  followup?: boolean;
  deleted?: boolean;
  completedDate?: string;
  completedBy?: string;
  createdAtClient?: string;
  lastUpdatedAtClient?: string;
  attributes: SentAttribute[];
  /** imported after the enrollment (handleEvents), each pointing at it */
  events: LegacyEventInput[];
}

export interface LegacyTeiInput {
  /** the UID as sent, valid or not */
  uid?: string;
  trackedEntityType?: string;
  orgUnit?: string;
  inactive?: boolean;
  potentialDuplicate?: boolean;
  deleted?: boolean;
  createdAtClient?: string;
  lastUpdatedAtClient?: string;
  geometry?: unknown;
  attributes: SentAttribute[];
  enrollments: LegacyEnrollmentInput[];
}

function readAttributes(obj: Record<string, unknown>, path: string): SentAttribute[] {
  const list = readArray(obj, 'attributes', path) ?? [];
  return list.map((raw, i) => {
    const a = requireObject(raw, `${path}.attributes[${i}]`, 'org.hisp.dhis.dxf2.events.trackedentity.Attribute');
    return { attribute: readString(a, 'attribute', `${path}.attributes[${i}]`) ?? '', value: normaliseValue(a.value, true) };
  });
}

export function readLegacyTei(raw: unknown, path: string): LegacyTeiInput {
  const o = requireObject(raw, path, 'org.hisp.dhis.dxf2.events.trackedentity.TrackedEntityInstance');
  const enrollments = (readArray(o, 'enrollments', path) ?? []).map((e, i) => readLegacyEnrollment(e, `${path}.enrollments[${i}]`));
  return {
    uid: readString(o, 'trackedEntityInstance', path),
    trackedEntityType: readString(o, 'trackedEntityType', path),
    orgUnit: readString(o, 'orgUnit', path),
    inactive: readBoolean(o, 'inactive', path),
    potentialDuplicate: readBoolean(o, 'potentialDuplicate', path),
    deleted: readBoolean(o, 'deleted', path),
    createdAtClient: readString(o, 'createdAtClient', path),
    lastUpdatedAtClient: readString(o, 'lastUpdatedAtClient', path),
    geometry: isObject(o.geometry) ? o.geometry : undefined,
    attributes: readAttributes(o, path),
    enrollments,
  };
}

export function readLegacyEnrollment(raw: unknown, p: string): LegacyEnrollmentInput {
  const en = requireObject(raw, p, 'org.hisp.dhis.dxf2.events.enrollment.Enrollment');
  return {
    enrollment: readString(en, 'enrollment', p),
    trackedEntityInstance: readString(en, 'trackedEntityInstance', p),
    program: readString(en, 'program', p),
    orgUnit: readString(en, 'orgUnit', p),
    enrollmentDate: readString(en, 'enrollmentDate', p),
    incidentDate: readString(en, 'incidentDate', p),
    status: readString(en, 'status', p),
    followup: readBoolean(en, 'followup', p),
    deleted: readBoolean(en, 'deleted', p),
    completedDate: readString(en, 'completedDate', p),
    completedBy: readString(en, 'completedBy', p),
    createdAtClient: readString(en, 'createdAtClient', p),
    lastUpdatedAtClient: readString(en, 'lastUpdatedAtClient', p),
    attributes: readAttributes(en, p),
    events: (readArray(en, 'events', p) ?? []).map((ev, k) => readLegacyEvent(ev, `${p}.events[${k}]`)),
  };
}

/** `{"enrollments":[...]}` or a single enrollment (EnrollmentController, JacksonEnrollmentService). */
export function readLegacyEnrollmentsBody(body: unknown): LegacyEnrollmentInput[] {
  const root = requireObject(body, '$', 'org.hisp.dhis.dxf2.events.enrollment.Enrollment');
  if (Object.prototype.hasOwnProperty.call(root, 'enrollments')) {
    return (readArray(root, 'enrollments', '$') ?? []).map((e, i) => readLegacyEnrollment(e, `$.enrollments[${i}]`));
  }
  return [readLegacyEnrollment(root, '$')];
}

/** `{"trackedEntityInstances":[...]}` or a single TEI (spec §2.4 "Request"). */
export function readLegacyBody(body: unknown): LegacyTeiInput[] {
  const root = requireObject(body, '$', 'org.hisp.dhis.dxf2.events.trackedentity.TrackedEntityInstance');
  if (Object.prototype.hasOwnProperty.call(root, 'trackedEntityInstances')) {
    const list = readArray(root, 'trackedEntityInstances', '$') ?? [];
    return list.map((t, i) => readLegacyTei(t, `$.trackedEntityInstances[${i}]`));
  }
  return [readLegacyTei(root, '$')];
}
