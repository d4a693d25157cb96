import { canCapture, canSearch, hasAuthority } from '../access.js';
import type { DomainContext, RequestScope } from '../context.js';
import { enrollmentClash, liveEnrollments } from '../enrollments/existing.js';
import { hasOwnershipAccess, programOwner } from '../enrollments/ownership.js';
import { javaDateString } from '../events/dates.js';
import type { EnrollmentStatus, Program, StoredEnrollment, StoredEntity } from '../types.js';
import { conflict } from '../web-message.js';
import type { LegacyEnrollmentInput } from './input.js';
import type { ImportConflict } from './summary.js';

export type Problem = { description?: string; conflicts?: ImportConflict[] };

/** 2.41's deprecated copy of the service says "TrackedEntity <uid>" (AbstractEnrollmentService, 2.41). */
export const teiWord = (ctx: DomainContext) => (ctx.version.atLeast('2.41') ? 'TrackedEntity' : 'TrackedEntityInstance');

export const legacyStatus = (s: string | undefined): EnrollmentStatus | undefined => (['ACTIVE', 'COMPLETED', 'CANCELLED'] as const).find((x) => x === s);

/**
 * The create path's checks in AbstractEnrollmentService's order: validateProgramForEnrollment
 * (program, org unit, registration, program org unit), validateRequest (one active enrollment,
 * only-enroll-once, then checkAttributes), then trackerAccessManager.canCreate. A CANCELLED
 * enrollment skips the active/once rules ("safe to import").
 */
export function createProblem(ctx: DomainContext, scope: RequestScope, tei: StoredEntity, input: LegacyEnrollmentInput): Problem | undefined {
  const program = input.program ? ctx.meta.programs.get(input.program) : undefined;
  if (!program) return { description: 'Program can not be null' };
  if (!input.orgUnit || !ctx.meta.orgUnits.has(input.orgUnit)) return { description: 'OrganisationUnit can not be null' };
  if (program.programType === 'WITHOUT_REGISTRATION') {
    return { description: `Provided program ${program.id} is a program without registration. An enrollment cannot be created into program without registration.` };
  }
  if (program.organisationUnits.length > 0 && !program.organisationUnits.includes(input.orgUnit)) {
    return { description: `Program is not assigned to this Organisation Unit: ${input.orgUnit}` };
  }
  const clash = enrollmentClash(liveEnrollments(tei, program.id), legacyStatus(input.status) ?? 'ACTIVE', program.onlyEnrollOnce === true);
  if (clash === 'active') return { description: `${teiWord(ctx)} ${tei.uid} already has an active enrollment in program ${program.id}` };
  if (clash === 'once') {
    return { description: `${teiWord(ctx)} ${tei.uid} already has an active or completed enrollment in program ${program.id}, and this program only allows enrolling one time` };
  }
  const conflicts = attributeConflicts(ctx, scope, tei, program, input);
  if (conflicts.length > 0) return { conflicts };
  const errors = aclErrors(ctx, scope, tei, program, input.orgUnit, 'create');
  return errors.length > 0 ? { description: `[${errors.join(', ')}]` } : undefined;
}

/**
 * TrackerAccessManager.canCreate / canUpdate / canDelete for an enrollment: the enrollment's org
 * unit in the capture scope, then the entity's ownership in the program — the owner org unit or,
 * with none recorded, the entity's registration org unit (TrackerOwnershipManager.getOwner), in
 * the search scope for OPEN/AUDITED programs and the capture scope for PROTECTED/CLOSED ones.
 * Superusers pass.
 */
export function aclErrors(ctx: DomainContext, scope: RequestScope, tei: StoredEntity, program: Program, orgUnit: string, action: 'create' | 'update' | 'delete'): string[] {
  const errors: string[] = [];
  const word = action === 'create' ? 'create' : action === 'update' ? 'write' : 'delete';
  if (!canCapture(ctx.meta, scope.user, orgUnit)) errors.push(`User has no ${word} access to organisation unit: ${orgUnit}`);
  const owner = programOwner(tei, program.id) ?? tei.orgUnit;
  if (!hasOwnershipAccess(ctx.meta, scope.user, program, owner)) errors.push('OWNERSHIP_ACCESS_DENIED');
  return errors;
}

/**
 * checkAttributes: mandatory program attributes (stored or sent; skipped with
 * F_IGNORE_TRACKER_REQUIRED_VALUE_VALIDATION), only program attributes on the enrollment, and —
 * unless the program allows it — no enrollment or incident date in the future (conflicts
 * `Enrollment.date` / `Enrollment.incidentDate`, the date as java.util.Date prints it). On the way
 * it asks canRead(entity): an entity outside the user's search scope makes the whole request fail
 * with 409 (IllegalQueryException), nested or not.
 */
export function attributeConflicts(ctx: DomainContext, scope: RequestScope, tei: StoredEntity, program: Program, input: LegacyEnrollmentInput): ImportConflict[] {
  if (!canSearch(ctx.meta, scope.user, tei.orgUnit)) throw conflict(`[User has no read access to organisation unit: ${tei.orgUnit}]`);
  const conflicts: ImportConflict[] = [];
  const programAttrs = ctx.meta.programAttributeIds(program.id);
  if (!hasAuthority(scope.user, 'F_IGNORE_TRACKER_REQUIRED_VALUE_VALIDATION')) {
    const values = new Set([...tei.attributes.map((a) => a.attribute), ...input.attributes.filter((a) => a.value !== null).map((a) => a.attribute)]);
    for (const p of program.programTrackedEntityAttributes) {
      if (p.mandatory && !values.has(p.trackedEntityAttribute)) conflicts.push({ object: 'Attribute.attribute', value: `Missing mandatory attribute ${p.trackedEntityAttribute}` });
    }
  }
  for (const a of input.attributes) {
    if (!programAttrs.has(a.attribute)) conflicts.push({ object: 'Attribute.attribute', value: `Only program attributes is allowed for enrollment ${a.attribute}` });
  }
  const now = ctx.clock();
  const future = (d: string | undefined) => {
    const ms = d === undefined ? NaN : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : d);
    return Number.isNaN(ms) || ms <= now ? undefined : ms;
  };
  const enrolled = program.selectEnrollmentDatesInFuture ? undefined : future(input.enrollmentDate);
  if (enrolled !== undefined) conflicts.push({ object: 'Enrollment.date', value: `Enrollment Date can't be future date :${javaDateString(enrolled)}` });
  const incident = program.selectIncidentDatesInFuture ? undefined : future(input.incidentDate);
  if (incident !== undefined) conflicts.push({ object: 'Enrollment.incidentDate', value: `Incident Date can't be future date :${javaDateString(incident)}` });
  return conflicts;
}

/** The entity's stored enrollments by UID, as the legacy service finds them (soft-deleted included). */
export const findEnrollment = (tei: StoredEntity, uid: string | undefined): StoredEnrollment | undefined =>
  uid === undefined ? undefined : tei.enrollments.find((e) => e.uid === uid);
