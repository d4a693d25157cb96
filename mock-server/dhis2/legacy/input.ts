import { normaliseValue, type SentAttribute } from '../attribute-values.js';
import { isObject, readArray, readBoolean, readString, requireObject } from '../payload.js';

export interface LegacyEnrollmentInput {
  enrollment?: string;
  program?: string;
  orgUnit?: string;
  enrollmentDate?: string;
  incidentDate?: string;
  status?: string;
  followup?: boolean;
  deleted?: boolean;
  attributes: SentAttribute[];
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
  const enrollments = (readArray(o, 'enrollments', path) ?? []).map((e, i) => {
    const p = `${path}.enrollments[${i}]`;
    const en = requireObject(e, p, 'org.hisp.dhis.dxf2.events.enrollment.Enrollment');
    return {
      enrollment: readString(en, 'enrollment', p),
      program: readString(en, 'program', p),
      orgUnit: readString(en, 'orgUnit', p),
      enrollmentDate: readString(en, 'enrollmentDate', p),
      incidentDate: readString(en, 'incidentDate', p),
      status: readString(en, 'status', p),
      followup: readBoolean(en, 'followup', p),
      deleted: readBoolean(en, 'deleted', p),
      attributes: readAttributes(en, p),
    };
  });
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

/** `{"trackedEntityInstances":[...]}` or a single TEI (spec §2.4 "Request"). */
export function readLegacyBody(body: unknown): LegacyTeiInput[] {
  const root = requireObject(body, '$', 'org.hisp.dhis.dxf2.events.trackedentity.TrackedEntityInstance');
  if (Object.prototype.hasOwnProperty.call(root, 'trackedEntityInstances')) {
    const list = readArray(root, 'trackedEntityInstances', '$') ?? [];
    return list.map((t, i) => readLegacyTei(t, `$.trackedEntityInstances[${i}]`));
  }
  return [readLegacyTei(root, '$')];
}
