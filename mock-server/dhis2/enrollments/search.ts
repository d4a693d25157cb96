import type { DomainContext } from '../context.js';
import { orgUnitPredicate, type OuMode, type StaleOverlay } from '../search.js';
import type { EnrollmentStatus, StoredEnrollment, StoredEntity, User } from '../types.js';

/** What both enrollment lists (legacy `/api/enrollments`, tracker `/api/tracker/enrollments`) filter by. */
export interface EnrollmentCriteria {
  orgUnits: string[];
  ouMode: OuMode;
  program?: string;
  status?: EnrollmentStatus;
  followUp?: boolean;
  trackedEntity?: string;
  uids?: string[];
  includeDeleted: boolean;
  updatedAfter?: string;
}

export interface EnrollmentHit {
  entity: StoredEntity;
  enrollment: StoredEnrollment;
}

/**
 * Enrollments matching the criteria, oldest first. The org-unit filter applies to the enrollment's
 * org unit (ProgramInstanceQueryParams). A stale-search overlay answers from the entities as they
 * were (enrollments are part of their entity's record).
 */
export function searchEnrollments(ctx: DomainContext, user: User, c: EnrollmentCriteria, overlay?: StaleOverlay): EnrollmentHit[] {
  const inScope = orgUnitPredicate(ctx, user, c);
  const candidates: StoredEntity[] = c.trackedEntity
    ? [overlay?.has(c.trackedEntity) ? overlay.get(c.trackedEntity) ?? undefined : ctx.store.get(c.trackedEntity)].filter((e): e is StoredEntity => !!e)
    : [...entities(ctx, overlay)];
  const hits: EnrollmentHit[] = [];
  for (const entity of candidates) {
    for (const enrollment of entity.enrollments) {
      if ((enrollment.deleted || entity.deleted) && !c.includeDeleted) continue;
      if (c.program && enrollment.program !== c.program) continue;
      if (c.status && enrollment.status !== c.status) continue;
      if (c.followUp !== undefined && enrollment.followup !== c.followUp) continue;
      if (c.uids && !c.uids.includes(enrollment.uid)) continue;
      if (c.updatedAfter && enrollment.lastUpdated < c.updatedAfter) continue;
      if (!inScope(enrollment.orgUnit)) continue;
      hits.push({ entity, enrollment });
    }
  }
  return hits.sort((a, b) => (a.enrollment.created < b.enrollment.created ? -1 : a.enrollment.created > b.enrollment.created ? 1 : a.enrollment.uid < b.enrollment.uid ? -1 : 1));
}

function* entities(ctx: DomainContext, overlay?: StaleOverlay): Iterable<StoredEntity> {
  for (const e of ctx.store.all()) if (!overlay?.has(e.uid)) yield e;
  if (overlay) for (const old of overlay.values()) if (old) yield old;
}
