import { canCapture, hasAuthority } from '../access.js';
import { liveEnrollments, type EnrollmentCheck } from '../enrollments/existing.js';
import type { EnrollmentStatus, Program, StoredEnrollment, StoredEntity } from '../types.js';
import type { UniquenessQuery } from '../uniqueness.js';
import { uniqueness, valueRuleErrors } from './attribute-rules.js';
import { ownershipErrors, ownershipFallsBackToEntity } from './ownership.js';
import type { TrackerEnrollmentInput } from './payload.js';
import { err, type ImportRun, type ObjectStrategy, type TrackerError } from './types.js';

const E = 'ENROLLMENT' as const;
const STATUSES: readonly EnrollmentStatus[] = ['ACTIVE', 'COMPLETED', 'CANCELLED'];

/** Where a stored enrollment lives. */
export interface StoredEnrollmentRef {
  te: StoredEntity;
  enrollment: StoredEnrollment;
}

/** What the enrollment validators need to know about the payload's tracked entities. */
export interface EnrollmentScope {
  /** payload TEs that passed validation */
  validTe: (uid: string) => boolean;
  /** payload TEs that failed validation */
  invalidTe: (uid: string) => boolean;
}

export interface EnrollmentValidation {
  errors: TrackerError[];
  uniqueChecks: UniquenessQuery[];
  /** what the import checked before inserting: re-checked at commit in `atomic`, raced in `racy` */
  enrollmentCheck?: EnrollmentCheck;
}

/** The stored enrollment (soft-deleted included), as the preheat finds it. */
export function storedEnrollment(run: ImportRun, uid: string): StoredEnrollmentRef | undefined {
  const ref = run.ctx.store.enrollment(uid);
  return ref && { te: ref.entity, enrollment: ref.enrollment };
}

export function enrollmentStrategy(run: ImportRun, uid: string): ObjectStrategy {
  const s = run.params.importStrategy;
  if (s === 'CREATE_AND_UPDATE') return run.ctx.store.hasEnrollment(uid) ? 'UPDATE' : 'CREATE';
  return s;
}

export const statusOf = (en: TrackerEnrollmentInput): EnrollmentStatus => STATUSES.find((s) => s === en.status) ?? 'ACTIVE';

/**
 * Enrollment validation (enrollment/EnrollmentValidator 2.40+, the PreCheck and Enrollment hooks
 * before): a sequence of existence, mandatory fields, metadata, data relations and security
 * (each stopping the rest when it reports), then the existing-enrollment, date and attribute rules
 * together. DELETE runs existence and security only (2.37+). A parent TE rejected in this
 * payload: E1068 up to 2.39 (inferred); from 2.40 the enrollment is validated normally and the
 * importer reports E5000 when it drops it at commit.
 */
export function validateEnrollment(run: ImportRun, scope: EnrollmentScope, en: TrackerEnrollmentInput, strategy: ObjectStrategy): EnrollmentValidation {
  const { meta, version, store } = run.ctx;
  const fail = (...errors: TrackerError[]): EnrollmentValidation => ({ errors, uniqueChecks: [] });
  const stored = storedEnrollment(run, en.uid);
  if (stored?.enrollment.deleted) return fail(err(E, en.uid, 'E1113', en.uid));
  if (stored && strategy === 'CREATE') return fail(err(E, en.uid, 'E1080', en.uid));
  if (!stored && strategy !== 'CREATE') return fail(err(E, en.uid, 'E1081', en.uid));
  if (strategy === 'DELETE' && version.atLeast('2.37')) return fail(...deleteSecurity(run, en, stored!));
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
  // enrollment/UpdatableFieldsValidator (2.37+, as E1126 for the TE): program and entity are fixed
  if (stored && strategy === 'UPDATE' && version.atLeast('2.37')) {
    const changed = [
      ...(program.id !== stored.enrollment.program ? [err(E, en.uid, 'E1127', 'program')] : []),
      ...(teUid !== stored.te.uid ? [err(E, en.uid, 'E1127', 'trackedEntity')] : []),
    ];
    if (changed.length > 0) return fail(...changed);
  }
  const te = run.teByUid.get(teUid);
  const teType = te?.trackedEntityType ?? store.get(teUid)?.trackedEntityType;
  if (program.programType === 'WITHOUT_REGISTRATION') return fail(err(E, en.uid, 'E1014', program.id));
  if (!program.organisationUnits.includes(en.orgUnit!)) return fail(err(E, en.uid, 'E1041', en.orgUnit, program.id));
  if (program.trackedEntityType && teType !== program.trackedEntityType) return fail(err(E, en.uid, 'E1022', teUid, program.id));
  const securityErrors = [
    // capture scope of the enrollment org unit: only when it is created (or deleted)
    ...(strategy === 'CREATE' && !canCapture(meta, run.user, en.orgUnit!) ? [err(E, en.uid, 'E1000', run.user.id, en.orgUnit)] : []),
    ...ownershipErrors(run, E, en.uid, teUid, stored ? meta.programs.get(stored.enrollment.program) ?? program : program, ownershipFallsBackToEntity(version)),
  ];
  if (securityErrors.length > 0) return fail(...securityErrors);

  const errors: TrackerError[] = [];
  errors.push(...existingEnrollmentErrors(run, en, teUid, program));
  errors.push(...dateErrors(run, en, program));
  const uniqueChecks: UniquenessQuery[] = [];
  errors.push(...attributeErrors(run, en, teUid, program, uniqueChecks));
  if (errors.length > 0) return fail(...errors);
  const status = statusOf(en);
  const becomesLive = !stored ? status !== 'CANCELLED' : status === 'ACTIVE' && stored.enrollment.status !== 'ACTIVE';
  const enrollmentCheck = becomesLive ? { trackedEntity: teUid, program: program.id, enrollment: en.uid, status, onlyEnrollOnce: program.onlyEnrollOnce === true } : undefined;
  return { errors: [], uniqueChecks, enrollmentCheck };
}

/** SecurityOwnershipValidator for DELETE: capture scope of the stored org unit, cascade authority, ownership. */
function deleteSecurity(run: ImportRun, en: TrackerEnrollmentInput, stored: StoredEnrollmentRef): TrackerError[] {
  const { meta, events, version } = run.ctx;
  const errors: TrackerError[] = [];
  if (!canCapture(meta, run.user, stored.enrollment.orgUnit)) errors.push(err(E, en.uid, 'E1000', run.user.id, stored.enrollment.orgUnit));
  const hasEvents = events.ofEnrollment(en.uid).some((e) => !e.deleted);
  if (hasEvents && !hasAuthority(run.user, 'F_ENROLLMENT_CASCADE_DELETE')) errors.push(err(E, en.uid, 'E1103', run.user.id, en.uid));
  const program = meta.programs.get(stored.enrollment.program);
  if (program) errors.push(...ownershipErrors(run, E, en.uid, stored.te.uid, program, ownershipFallsBackToEntity(version)));
  return errors;
}

/**
 * ExistingEnrollmentValidator / EnrollmentInExistingValidationHook, for every strategy but DELETE:
 * the other ACTIVE or COMPLETED enrollments of the entity in the program, from the payload (all of
 * them, valid or not; the payload wins for a UID) and from the store. An ACTIVE enrollment beside
 * another ACTIVE one is E1015; any other one in an only-enroll-once program is E1016 — so an
 * ACTIVE duplicate in such a program gets both codes for one problem. 2.36–2.37 report E1016 for
 * any program (the `onlyEnrollOnce` guard appears in the 2.38+ hook; the release is inferred).
 * A CANCELLED enrollment, or a COMPLETED one in a program that allows re-enrolling, is not checked.
 */
function existingEnrollmentErrors(run: ImportRun, en: TrackerEnrollmentInput, teUid: string, program: Program): TrackerError[] {
  const status = statusOf(en);
  const once = program.onlyEnrollOnce === true;
  if (status === 'CANCELLED' || (status === 'COMPLETED' && !once)) return [];
  const counted = (s: string) => s === 'ACTIVE' || s === 'COMPLETED';
  const others = new Map<string, string>();
  for (const e of liveEnrollments(run.ctx.store.get(teUid), program.id, en.uid)) if (counted(e.status)) others.set(e.uid, e.status);
  for (const p of run.bundle.enrollments) {
    if (p.uid === en.uid || p.trackedEntity !== teUid || p.program !== program.id) continue;
    if (counted(statusOf(p))) others.set(p.uid, statusOf(p));
    else others.delete(p.uid);
  }
  const errors: TrackerError[] = [];
  if (status === 'ACTIVE' && [...others.values()].includes('ACTIVE')) errors.push(err(E, en.uid, 'E1015', teUid, program.id));
  const onceRule = run.ctx.version.atLeast('2.38') ? once : true;
  if (onceRule && others.size > 0) errors.push(err(E, en.uid, 'E1016', teUid, program.id));
  return errors;
}

/** enrollment/DateValidator: enrolledAt required; neither date in the future unless the program allows it. */
function dateErrors(run: ImportRun, en: TrackerEnrollmentInput, program: Program): TrackerError[] {
  const errors: TrackerError[] = [];
  const today = new Date(run.ctx.clock()).toISOString().slice(0, 10);
  const future = (d: string | undefined) => d !== undefined && !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().slice(0, 10) > today;
  const enrolled = en.enrolledAt ? Date.parse(en.enrolledAt) : NaN;
  if (Number.isNaN(enrolled)) errors.push(err(E, en.uid, 'E1025', en.enrolledAt));
  else if (program.selectEnrollmentDatesInFuture !== true && future(en.enrolledAt)) errors.push(err(E, en.uid, 'E1020', en.enrolledAt));
  if (program.selectIncidentDatesInFuture !== true && future(en.occurredAt)) errors.push(err(E, en.uid, 'E1021', en.occurredAt));
  if (program.displayIncidentDate === true && (!en.occurredAt || Number.isNaN(Date.parse(en.occurredAt)))) errors.push(err(E, en.uid, 'E1023', en.occurredAt));
  return errors;
}

/** enrollment/AttributeValidator: program attributes only, values, uniqueness, mandatory ones (E1018). */
function attributeErrors(run: ImportRun, en: TrackerEnrollmentInput, teUid: string, program: Program, uniqueChecks: UniquenessQuery[]): TrackerError[] {
  const { meta, version, store } = run.ctx;
  const te = run.teByUid.get(teUid);
  const errors: TrackerError[] = [];
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
  return errors;
}
