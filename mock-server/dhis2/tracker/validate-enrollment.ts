import { canCapture } from '../access.js';
import type { StoredEnrollment, StoredEntity } from '../types.js';
import type { UniquenessQuery } from '../uniqueness.js';
import { uniqueness, valueRuleErrors } from './attribute-rules.js';
import type { TrackerEnrollmentInput } from './payload.js';
import { err, type ImportRun, type ObjectStrategy, type TrackerError } from './types.js';

const E = 'ENROLLMENT' as const;

/** Where a stored enrollment lives. */
export interface StoredEnrollmentRef {
  te: StoredEntity;
  enrollment: StoredEnrollment;
}

/** What the enrollment validators need to know about the payload's tracked entities. */
export interface EnrollmentScope {
  /** stored enrollments by UID (soft-deleted included) */
  stored: Map<string, StoredEnrollmentRef>;
  /** payload TEs that passed validation, and the stored state of a TE they update */
  validTe: (uid: string) => boolean;
  /** payload TEs that failed validation */
  invalidTe: (uid: string) => boolean;
  /** enrollments accepted so far in this payload (for the active/once rules) */
  accepted: TrackerEnrollmentInput[];
}

export interface EnrollmentValidation {
  errors: TrackerError[];
  uniqueChecks: UniquenessQuery[];
}

export function enrollmentStrategy(run: ImportRun, scope: EnrollmentScope, uid: string): ObjectStrategy {
  const s = run.params.importStrategy;
  if (s === 'CREATE_AND_UPDATE') return scope.stored.has(uid) ? 'UPDATE' : 'CREATE';
  return s;
}

/**
 * Enrollment validation (spec §3.2 / §3.5 enrollment codes; enrollment/EnrollmentValidator 2.41,
 * the PreCheck and Enrollment hooks before): a sequence of existence, mandatory fields, metadata,
 * data relations and security, then the date, existing-enrollment and attribute rules together.
 * A parent TE rejected in this payload: E1068 up to 2.39 (inferred); from 2.40 the enrollment is
 * validated normally and the importer reports E5000 when it drops it at commit.
 */
export function validateEnrollment(run: ImportRun, scope: EnrollmentScope, en: TrackerEnrollmentInput, strategy: ObjectStrategy): EnrollmentValidation {
  const { meta, version, store } = run.ctx;
  const fail = (...errors: TrackerError[]): EnrollmentValidation => ({ errors, uniqueChecks: [] });
  const stored = scope.stored.get(en.uid);
  if (stored?.enrollment.deleted) return fail(err(E, en.uid, 'E1113', en.uid));
  if (stored && strategy === 'CREATE') return fail(err(E, en.uid, 'E1080', en.uid));
  if (!stored && strategy !== 'CREATE') return fail(err(E, en.uid, 'E1081', en.uid));
  if (strategy === 'DELETE' && version.atLeast('2.37')) return { errors: [], uniqueChecks: [] };
  const missing = (['program', 'orgUnit', 'trackedEntity'] as const).filter((k) => !en[k]);
  if (missing.length > 0) return fail(...missing.map((k) => err(E, en.uid, 'E1122', k)));
  const program = meta.programs.get(en.program!);
  const metaErrors: TrackerError[] = [];
  if (!meta.orgUnits.has(en.orgUnit!)) metaErrors.push(err(E, en.uid, 'E1070', en.orgUnit));
  if (!program) metaErrors.push(err(E, en.uid, 'E1069', en.program));
  const teUid = en.trackedEntity!;
  if (scope.invalidTe(teUid)) {
    // 2.40+ validates the enrollment as if its TE were fine; PersistablesFilter drops it later (E5000)
    if (version.below('2.40')) metaErrors.push(err(E, en.uid, 'E1068', teUid));
  } else if (!scope.validTe(teUid) && !(store.get(teUid) && !store.get(teUid)!.deleted)) {
    metaErrors.push(err(E, en.uid, 'E1068', teUid));
  }
  if (metaErrors.length > 0 || !program) return fail(...metaErrors);
  const te = run.teByUid.get(teUid);
  const teType = te?.trackedEntityType ?? store.get(teUid)?.trackedEntityType;
  if (program.programType === 'WITHOUT_REGISTRATION') return fail(err(E, en.uid, 'E1014', program.id));
  if (!program.organisationUnits.includes(en.orgUnit!)) return fail(err(E, en.uid, 'E1041', en.orgUnit, program.id));
  if (program.trackedEntityType && teType !== program.trackedEntityType) return fail(err(E, en.uid, 'E1022', teUid, program.id));
  if (!canCapture(meta, run.user, en.orgUnit!)) return fail(err(E, en.uid, 'E1000', run.user.id, en.orgUnit));

  const errors: TrackerError[] = [];
  if (strategy === 'CREATE') errors.push(...existingEnrollmentErrors(run, scope, en, teUid, program.id, program.onlyEnrollOnce === true));
  errors.push(...dateErrors(run, en, program.selectEnrollmentDatesInFuture === true, program.displayIncidentDate === true));
  const uniqueChecks: UniquenessQuery[] = [];
  const programAttrs = new Map(program.programTrackedEntityAttributes.map((p) => [p.trackedEntityAttribute, p]));
  const teOrgUnit = te?.orgUnit ?? store.get(teUid)?.orgUnit;
  for (const sent of en.attributes) {
    const attr = meta.attributes.get(sent.attribute);
    if (!attr) {
      errors.push(err(E, en.uid, 'E1006', sent.attribute));
      continue;
    }
    if (!programAttrs.has(attr.id)) {
      errors.push(err(E, en.uid, 'E1019', attr.id));
      continue;
    }
    if (sent.value === null) {
      if (programAttrs.get(attr.id)!.mandatory) errors.push(err(E, en.uid, 'E1076', 'TrackedEntityAttribute', attr.id));
      continue;
    }
    errors.push(...valueRuleErrors(meta, version, E, en.uid, attr, sent.value));
    const u = uniqueness(run, E, en.uid, teUid, teOrgUnit, attr, sent.value);
    if (u.error) errors.push(u.error);
    if (u.check) uniqueChecks.push(u.check);
  }
  const present = new Set([
    ...en.attributes.filter((a) => a.value !== null).map((a) => a.attribute),
    ...(te?.attributes ?? []).filter((a) => a.value !== null).map((a) => a.attribute),
    ...(store.get(teUid)?.attributes ?? []).map((a) => a.attribute),
  ]);
  for (const p of program.programTrackedEntityAttributes) {
    if (p.mandatory && !present.has(p.trackedEntityAttribute)) errors.push(err(E, en.uid, 'E1018', p.trackedEntityAttribute, program.id, en.uid));
  }
  return { errors, uniqueChecks: errors.length > 0 ? [] : uniqueChecks };
}

/** ExistingEnrollmentValidator: one active enrollment per program; `onlyEnrollOnce` allows one ever. */
function existingEnrollmentErrors(run: ImportRun, scope: EnrollmentScope, en: TrackerEnrollmentInput, teUid: string, program: string, once: boolean): TrackerError[] {
  const storedOthers = (run.ctx.store.get(teUid)?.enrollments ?? []).filter((e) => !e.deleted && e.program === program && e.uid !== en.uid);
  const payloadOthers = scope.accepted.filter((e) => e.trackedEntity === teUid && e.program === program && e.uid !== en.uid);
  const statuses = [...storedOthers.map((e) => e.status as string), ...payloadOthers.map((e) => e.status ?? 'ACTIVE')];
  if (statuses.length === 0) return [];
  if (once) return [err(E, en.uid, 'E1016', teUid, program)];
  if ((en.status ?? 'ACTIVE') === 'ACTIVE' && statuses.includes('ACTIVE')) return [err(E, en.uid, 'E1015', teUid, program)];
  return [];
}

/** enrollment/DateValidator. */
function dateErrors(run: ImportRun, en: TrackerEnrollmentInput, futureAllowed: boolean, incidentShown: boolean): TrackerError[] {
  const errors: TrackerError[] = [];
  const enrolled = en.enrolledAt ? Date.parse(en.enrolledAt) : NaN;
  if (Number.isNaN(enrolled)) errors.push(err(E, en.uid, 'E1025', en.enrolledAt));
  else if (!futureAllowed && enrolled > run.ctx.clock()) errors.push(err(E, en.uid, 'E1020', en.enrolledAt));
  if (incidentShown && (!en.occurredAt || Number.isNaN(Date.parse(en.occurredAt)))) errors.push(err(E, en.uid, 'E1023', en.occurredAt));
  return errors;
}
