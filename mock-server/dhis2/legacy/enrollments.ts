import { dhis2Date } from '../../store/clock.js';
import { hasAuthority } from '../access.js';
import type { SentAttribute } from '../attribute-values.js';
import type { DomainContext, RequestScope } from '../context.js';
import { generateUid, isUid } from '../random.js';
import type { StoredEnrollment, StoredEntity } from '../types.js';
import type { LegacyEnrollmentInput } from './input.js';
import { summaries, summary, type ImportSummaries, type ImportSummary } from './summary.js';

export interface EnrollmentResult {
  entity: StoredEntity;
  summaries: ImportSummaries;
  /** attribute values sent on enrollments, merged into the TEI by the caller */
  attributes: SentAttribute[];
}

/**
 * Nested enrollments of a legacy TEI (spec §2.9): a known enrollment UID updates, otherwise it is
 * created. Errors land in the nested summaries and never turn the TEI summary into an error.
 * Texts from AbstractEnrollmentService.
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
    const program = input.program ? ctx.meta.programs.get(input.program) : undefined;
    const fail = (description: string, conflicts: ImportSummary['conflicts'] = []) =>
      items.push(summary('ERROR', { ignored: 1 }, { description, conflicts, reference: input.enrollment }));
    if (!program) {
      fail(`Program with id ${input.program ?? 'null'} does not exist`);
      continue;
    }
    if (program.programType === 'WITHOUT_REGISTRATION') {
      fail(`Provided program ${program.id} is a program without registration. An enrollment cannot be created into program without registration.`);
      continue;
    }
    const existing = input.enrollment ? current.enrollments.find((e) => e.uid === input.enrollment) : undefined;
    const programAttrs = ctx.meta.programAttributeIds(program.id);
    const foreign = input.attributes.filter((a) => !programAttrs.has(a.attribute));
    if (foreign.length > 0) {
      fail('Only program attributes is allowed for enrollment', foreign.map((a) => ({ object: 'Attribute.attribute', value: `Only program attributes is allowed for enrollment ${a.attribute}` })));
      continue;
    }
    if (!existing) {
      const live = current.enrollments.filter((e) => !e.deleted && e.program === program.id);
      if (live.some((e) => e.status === 'ACTIVE')) {
        fail(`TrackedEntityInstance ${current.uid} already has an active enrollment in program ${program.id}`);
        continue;
      }
      if (program.onlyEnrollOnce && live.some((e) => e.status === 'COMPLETED')) {
        fail(`TrackedEntityInstance ${current.uid} already has an active or completed enrollment in program ${program.id}, and this program only allows enrolling one time`);
        continue;
      }
      if (program.displayIncidentDate && !input.incidentDate) {
        fail('DisplayIncidentDate is true but IncidentDate is null');
        continue;
      }
      if (input.enrollment && ctx.store.get(current.uid)?.enrollments.some((e) => e.uid === input.enrollment && e.deleted)) {
        fail(`Enrollment ${input.enrollment} already exists or was deleted earlier`);
        continue;
      }
      if (!hasAuthority(scope.user, 'F_IGNORE_TRACKER_REQUIRED_VALUE_VALIDATION')) {
        const values = new Set([...current.attributes.map((a) => a.attribute), ...input.attributes.filter((a) => a.value !== null).map((a) => a.attribute)]);
        const missing = program.programTrackedEntityAttributes.filter((p) => p.mandatory && !values.has(p.trackedEntityAttribute));
        if (missing.length > 0) {
          fail('Mandatory attributes are missing', missing.map((m) => ({ object: 'Attribute.attribute', value: `Missing mandatory attribute ${m.trackedEntityAttribute}` })));
          continue;
        }
      }
    }
    const uid = existing?.uid ?? (isUid(input.enrollment) ? input.enrollment : generateUid(ctx.rng));
    const orgUnit = input.orgUnit && ctx.meta.orgUnits.has(input.orgUnit) ? input.orgUnit : current.orgUnit;
    const status = (['ACTIVE', 'COMPLETED', 'CANCELLED'] as const).find((s) => s === input.status) ?? existing?.status ?? 'ACTIVE';
    const enrollment: StoredEnrollment = {
      uid,
      program: program.id,
      orgUnit,
      status,
      enrollmentDate: input.enrollmentDate ?? existing?.enrollmentDate ?? dhis2Date(now).slice(0, 10),
      incidentDate: input.incidentDate ?? existing?.incidentDate,
      followup: input.followup ?? existing?.followup ?? false,
      deleted: false,
      created: existing?.created ?? dhis2Date(now),
      lastUpdated: dhis2Date(now),
    };
    const others = current.enrollments.filter((e) => e.uid !== uid);
    const owners = current.programOwners.some((o) => o.program === program.id)
      ? current.programOwners
      : [...current.programOwners, { program: program.id, orgUnit }];
    current = { ...current, enrollments: [...others, enrollment], programOwners: owners };
    attributes.push(...input.attributes);
    items.push(
      summary('SUCCESS', existing ? { updated: 1 } : { imported: 1 }, {
        reference: uid,
        href: `${scope.origin}/api/enrollments/${uid}`,
      }),
    );
  }
  return { entity: current, summaries: summaries(items), attributes };
}
