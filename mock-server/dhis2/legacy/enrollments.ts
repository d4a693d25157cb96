import { dhis2Date } from '../../store/clock.js';
import { hasAuthority } from '../access.js';
import { mergeAttributes } from '../attribute-values.js';
import type { DomainContext, RequestScope } from '../context.js';
import type { EnrollmentCheck } from '../enrollments/existing.js';
import { isUid, generateUid } from '../random.js';
import type { StoredEnrollment, StoredEntity, StoredEvent } from '../types.js';
import { aclErrors, attributeConflicts, createProblem, legacyStatus, type Problem } from './enrollment-checks.js';
import type { LegacyEventInput } from './event-input.js';
import type { LegacyEnrollmentInput } from './input.js';
import type { PlannedState } from './planned-state.js';
import { summary, type ImportSummary } from './summary.js';

/** One enrollment of a legacy import, planned against the entity as this request left it. */
export interface PlannedLegacyEnrollment {
  summary: ImportSummary;
  /** the entity with this enrollment applied (the one passed in when the enrollment failed) */
  entity: StoredEntity;
  /** the active/once-only rule it passed, for the race window and `atomic`'s re-check */
  check?: EnrollmentCheck;
  /** set when it creates the enrollment (the programinstance uid constraint at commit) */
  creates?: string;
  /** events DHIS2 imports after it (handleEvents), pointing at it */
  events: LegacyEventInput[];
  /** events soft-deleted with it */
  cascade: StoredEvent[];
}

const failed = (entity: StoredEntity, s: ImportSummary): PlannedLegacyEnrollment => ({ summary: s, entity, events: [], cascade: [] });
const problem = (entity: StoredEntity, reference: string | undefined, p: Problem) => failed(entity, summary('ERROR', { ignored: 1 }, { reference, ...p }));

/**
 * addEnrollment: the UID must be new (soft-deleted ones included), then createProblem's checks.
 * The enrollment org unit becomes the program owner (assignOwnership); its attributes land on the
 * entity (updateAttributeValues). prepareProgramInstance defaults missing dates to now, so the
 * create path never reports "DisplayIncidentDate is true but IncidentDate is null".
 */
export function planLegacyEnrollmentCreate(
  ctx: DomainContext, scope: RequestScope, state: PlannedState, tei: StoredEntity, input: LegacyEnrollmentInput,
): PlannedLegacyEnrollment {
  if (input.enrollment && state.enrollment(input.enrollment)) {
    return problem(tei, input.enrollment, { description: `Enrollment ${input.enrollment} already exists or was deleted earlier` });
  }
  const p = createProblem(ctx, scope, tei, input);
  if (p) return problem(tei, input.enrollment, p);
  const program = ctx.meta.programs.get(input.program!)!;
  const now = ctx.clock();
  const uid = isUid(input.enrollment) ? input.enrollment : generateUid(ctx.rng);
  const status = legacyStatus(input.status) ?? 'ACTIVE';
  const enrollment: StoredEnrollment = {
    uid, program: program.id, orgUnit: input.orgUnit!, status,
    enrollmentDate: input.enrollmentDate ?? dhis2Date(now), incidentDate: input.incidentDate ?? dhis2Date(now),
    followup: input.followup ?? false, deleted: false, created: dhis2Date(now), lastUpdated: dhis2Date(now), storedBy: scope.user.username,
    createdAtClient: input.createdAtClient, lastUpdatedAtClient: input.lastUpdatedAtClient,
    ...(status === 'ACTIVE' ? {} : { completedAt: input.completedDate ?? dhis2Date(now), completedBy: input.completedBy ?? scope.user.username }),
  };
  const owners = [...tei.programOwners.filter((o) => o.program !== program.id), { program: program.id, orgUnit: enrollment.orgUnit }];
  const entity: StoredEntity = {
    ...tei, lastUpdated: dhis2Date(now), enrollments: [...tei.enrollments, enrollment], programOwners: owners,
    attributes: mergeAttributes(tei.attributes, input.attributes, now, scope.user.username),
  };
  return {
    summary: summary('SUCCESS', { imported: 1 }, { reference: uid, href: `${scope.origin}/api/enrollments/${uid}` }),
    entity,
    check: status === 'CANCELLED' ? undefined : { trackedEntity: tei.uid, program: program.id, enrollment: uid, status, onlyEnrollOnce: program.onlyEnrollOnce === true },
    creates: uid,
    events: input.events,
    cascade: [],
  };
}

/**
 * updateEnrollment: canUpdate, then checkAttributes, the registration rule, the new dates, org
 * unit, follow-up and status (completing stamps completedAt/completedBy), and the incident date
 * rule. The active/once-only rules are not checked on update (as in the source).
 */
export function planLegacyEnrollmentUpdate(
  ctx: DomainContext, scope: RequestScope, tei: StoredEntity, existing: StoredEnrollment, input: LegacyEnrollmentInput,
): PlannedLegacyEnrollment {
  const program = ctx.meta.programs.get(input.program ?? existing.program);
  const acl = aclErrors(ctx, scope, tei, ctx.meta.programs.get(existing.program)!, existing.orgUnit, 'update');
  if (acl.length > 0) return problem(tei, undefined, { description: `[${acl.join(', ')}]` });
  const conflicts = program ? attributeConflicts(ctx, scope, tei, program, input) : [];
  if (conflicts.length > 0) return problem(tei, existing.uid, { conflicts });
  if (!program || program.programType === 'WITHOUT_REGISTRATION') {
    return problem(tei, undefined, { description: `Provided program ${input.program} is a program without registration. An enrollment cannot be created into program without registration.` });
  }
  const incidentDate = input.incidentDate ?? existing.incidentDate;
  if (program.displayIncidentDate && !incidentDate) return problem(tei, undefined, { description: 'DisplayIncidentDate is true but IncidentDate is null' });
  const now = ctx.clock();
  const status = legacyStatus(input.status) ?? existing.status;
  const changes = status !== existing.status;
  const enrollment: StoredEnrollment = {
    ...existing, program: program.id, orgUnit: input.orgUnit && ctx.meta.orgUnits.has(input.orgUnit) ? input.orgUnit : existing.orgUnit,
    enrollmentDate: input.enrollmentDate ?? existing.enrollmentDate, incidentDate, followup: input.followup ?? existing.followup,
    status, lastUpdated: dhis2Date(now), lastUpdatedAtClient: input.lastUpdatedAtClient ?? existing.lastUpdatedAtClient,
    ...(changes && status !== 'ACTIVE' ? { completedAt: input.completedDate ?? dhis2Date(now), completedBy: input.completedBy ?? scope.user.username } : {}),
    ...(changes && status === 'ACTIVE' ? { completedAt: undefined, completedBy: undefined } : {}),
  };
  const entity: StoredEntity = {
    ...tei, lastUpdated: dhis2Date(now), enrollments: tei.enrollments.map((e) => (e.uid === existing.uid ? enrollment : e)),
    attributes: mergeAttributes(tei.attributes, input.attributes, now, scope.user.username),
  };
  return { summary: summary('SUCCESS', { updated: 1 }, { reference: existing.uid }), entity, events: input.events, cascade: [] };
}

/**
 * deleteEnrollment: a live enrollment is soft-deleted with its events, unless it has live events
 * and the user lacks F_ENROLLMENT_CASCADE_DELETE, or canDelete refuses (each a conflict on the UID).
 * A missing or deleted one is "not present" (SUCCESS, ignored).
 */
export function planLegacyEnrollmentDelete(ctx: DomainContext, scope: RequestScope, state: PlannedState, uid: string): PlannedLegacyEnrollment | { summary: ImportSummary } {
  const ref = state.enrollment(uid);
  if (!ref || ref.enrollment.deleted || ref.entity.deleted) {
    return { summary: summary('SUCCESS', { ignored: 1 }, { description: `Enrollment ${uid} cannot be deleted as it is not present in the system` }) };
  }
  const { entity: tei, enrollment } = ref;
  const live = ctx.events.ofEnrollment(uid).filter((e) => !e.deleted);
  const problems: string[] = [];
  if (live.length > 0 && !hasAuthority(scope.user, 'F_ENROLLMENT_CASCADE_DELETE')) {
    problems.push(`Enrollment ${uid} cannot be deleted as it has associated events and user does not have authority: F_ENROLLMENT_CASCADE_DELETE`);
  }
  problems.push(...aclErrors(ctx, scope, tei, ctx.meta.programs.get(enrollment.program)!, enrollment.orgUnit, 'delete'));
  if (problems.length > 0) return problem(tei, uid, { conflicts: problems.map((value) => ({ object: uid, value })) });
  const now = dhis2Date(ctx.clock());
  const entity = { ...tei, lastUpdated: now, enrollments: tei.enrollments.map((e) => (e.uid === uid ? { ...e, deleted: true, lastUpdated: now } : e)) };
  return {
    summary: summary('SUCCESS', { deleted: 1 }, { reference: uid, description: `Deletion of enrollment ${uid} was successful` }),
    entity, events: [], cascade: live.map((e) => ({ ...e, deleted: true, lastUpdated: now })),
  };
}
