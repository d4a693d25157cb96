import { dhis2Date } from '../../store/clock.js';
import { canCapture, hasAuthority } from '../access.js';
import type { SentAttribute } from '../attribute-values.js';
import type { DomainContext, RequestScope } from '../context.js';
import { generateUid, isUid } from '../random.js';
import type { Program, StoredEnrollment, StoredEntity } from '../types.js';
import type { LegacyEnrollmentInput } from './input.js';
import { summaries, summary, type ImportConflict, type ImportSummaries, type ImportSummary } from './summary.js';

export interface EnrollmentResult {
  entity: StoredEntity;
  summaries: ImportSummaries;
  /** attribute values sent on enrollments, merged into the TEI by the caller */
  attributes: SentAttribute[];
}

/**
 * Nested enrollments of a legacy TEI (spec §2.9): a known enrollment UID updates, otherwise it is
 * created. Errors land in the nested summaries and never turn the TEI summary into an error.
 * Checks and texts in AbstractEnrollmentService's order (addEnrollment → validateRequest →
 * validateProgramForEnrollment → checkAttributes → canCreate). The create path never reports
 * "DisplayIncidentDate is true but IncidentDate is null": prepareProgramInstance defaults a missing
 * incident (and enrollment) date to now before that check runs.
 */
export function applyLegacyEnrollments(
  ctx: DomainContext,
  scope: RequestScope,
  entity: StoredEntity,
  inputs: LegacyEnrollmentInput[],
): EnrollmentResult {
  const now = ctx.clock();
  let current = entity;
  const items: ImportSummary[] = [];
  const attributes: SentAttribute[] = [];
  for (const input of inputs) {
    const existing = input.enrollment ? current.enrollments.find((e) => e.uid === input.enrollment && !e.deleted) : undefined;
    const problem = existing ? undefined : createProblem(ctx, scope, current, input);
    if (problem) {
      items.push(summary('ERROR', { ignored: 1 }, { reference: input.enrollment, ...problem }));
      continue;
    }
    const program = ctx.meta.programs.get(input.program ?? existing!.program)!;
    const uid = existing?.uid ?? (isUid(input.enrollment) ? input.enrollment : generateUid(ctx.rng));
    const orgUnit = input.orgUnit && ctx.meta.orgUnits.has(input.orgUnit) ? input.orgUnit : existing?.orgUnit ?? current.orgUnit;
    const status = (['ACTIVE', 'COMPLETED', 'CANCELLED'] as const).find((s) => s === input.status) ?? existing?.status ?? 'ACTIVE';
    const enrollment: StoredEnrollment = {
      uid,
      program: program.id,
      orgUnit,
      status,
      enrollmentDate: input.enrollmentDate ?? existing?.enrollmentDate ?? dhis2Date(now),
      incidentDate: input.incidentDate ?? existing?.incidentDate ?? dhis2Date(now),
      followup: input.followup ?? existing?.followup ?? false,
      deleted: false,
      created: existing?.created ?? dhis2Date(now),
      lastUpdated: dhis2Date(now),
    };
    const others = current.enrollments.filter((e) => e.uid !== uid);
    // assignOwnership(tei, program, orgUnit, …): the enrollment org unit becomes the program owner
    const owners = [...current.programOwners.filter((o) => o.program !== program.id), { program: program.id, orgUnit }];
    current = { ...current, enrollments: [...others, enrollment], programOwners: existing ? current.programOwners : owners };
    attributes.push(...input.attributes);
    items.push(summary('SUCCESS', existing ? { updated: 1 } : { imported: 1 }, { reference: uid, href: `${scope.origin}/api/enrollments/${uid}` }));
  }
  return { entity: current, summaries: summaries(items), attributes };
}

type Problem = { description?: string; conflicts?: ImportConflict[] };

function createProblem(ctx: DomainContext, scope: RequestScope, tei: StoredEntity, input: LegacyEnrollmentInput): Problem | undefined {
  if (input.enrollment && tei.enrollments.some((e) => e.uid === input.enrollment)) {
    return { description: `Enrollment ${input.enrollment} already exists or was deleted earlier` };
  }
  const program = input.program ? ctx.meta.programs.get(input.program) : undefined;
  if (!program) return { description: 'Program can not be null' };
  if (!input.orgUnit || !ctx.meta.orgUnits.has(input.orgUnit)) return { description: 'OrganisationUnit can not be null' };
  if (program.programType === 'WITHOUT_REGISTRATION') {
    return { description: `Provided program ${program.id} is a program without registration. An enrollment cannot be created into program without registration.` };
  }
  if (program.organisationUnits.length > 0 && !program.organisationUnits.includes(input.orgUnit)) {
    return { description: `Program is not assigned to this Organisation Unit: ${input.orgUnit}` };
  }
  // 2.41's deprecated copy of the service says "TrackedEntity <uid>" (AbstractEnrollmentService, 2.41)
  const who = `${ctx.version.atLeast('2.41') ? 'TrackedEntity' : 'TrackedEntityInstance'} ${tei.uid}`;
  const status = input.status ?? 'ACTIVE';
  if (status !== 'CANCELLED') {
    const live = tei.enrollments.filter((e) => !e.deleted && e.program === program.id);
    if (status === 'ACTIVE' && live.some((e) => e.status === 'ACTIVE')) {
      return { description: `${who} already has an active enrollment in program ${program.id}` };
    }
    if (program.onlyEnrollOnce && live.some((e) => e.status === 'ACTIVE' || e.status === 'COMPLETED')) {
      return { description: `${who} already has an active or completed enrollment in program ${program.id}, and this program only allows enrolling one time` };
    }
  }
  const conflicts = attributeConflicts(ctx, scope, tei, program, input);
  if (conflicts.length > 0) return { conflicts };
  if (!canCapture(ctx.meta, scope.user, input.orgUnit)) {
    return { description: `[User has no create access to organisation unit: ${input.orgUnit}]` };
  }
  return undefined;
}

/** checkAttributes: mandatory program attributes (stored or sent), and only program attributes on the enrollment. */
function attributeConflicts(ctx: DomainContext, scope: RequestScope, tei: StoredEntity, program: Program, input: LegacyEnrollmentInput): ImportConflict[] {
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
  return conflicts;
}
