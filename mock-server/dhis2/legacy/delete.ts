import { dhis2Date } from '../../store/clock.js';
import { canCapture, hasAuthority } from '../access.js';
import { commitPhase, type PendingEventWrite, type PendingWrite } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import type { StoredEntity } from '../types.js';
import { summaries, summary, type ImportSummary } from './summary.js';

export interface Planned {
  summary: ImportSummary;
  write?: PendingWrite;
  /** events the TEI's enrollments bring in, or that its deletion soft-deletes */
  eventWrites?: PendingEventWrite[];
}

/**
 * Soft delete (spec §2.6, AbstractTrackedEntityInstanceService.deleteTrackedEntityInstance). In bulk
 * (`strategy=DELETE`, SYNC with `deleted: true`) an existing TEI's summary carries its `reference` and
 * an (empty) enrollments summary; a TEI that is not present gets neither; the single DELETE route
 * never sets a reference. Existence excludes soft-deleted TEIs, so deleting twice reports "not present".
 */
export function planDelete(ctx: DomainContext, scope: RequestScope, uid: string, bulk: boolean): Planned {
  const existing = ctx.store.get(uid);
  if (!existing || existing.deleted) {
    return { summary: summary('SUCCESS', { ignored: 1 }, { description: `Tracked entity instance ${uid} cannot be deleted as it is not present in the system` }) };
  }
  const bulkExtra = bulk ? { reference: uid, enrollments: summaries([]) } : {};
  // isAllowedToDelete: the cascade rule first, then canWrite's errors, each a conflict on the UID (inferred order)
  const problems: string[] = [];
  if (existing.enrollments.some((e) => !e.deleted) && !hasAuthority(scope.user, 'F_TEI_CASCADE_DELETE')) {
    problems.push(`Tracked entity instance ${uid} cannot be deleted as it has associated enrollments and user does not have authority F_TEI_CASCADE_DELETE`);
  }
  if (!canCapture(ctx.meta, scope.user, existing.orgUnit)) problems.push(`User has no write access to organisation unit: ${existing.orgUnit}`);
  if (problems.length > 0) {
    const conflicts = problems.map((value) => ({ object: uid, value }));
    return { summary: summary('ERROR', { ignored: 1 }, { ...bulkExtra, reference: uid, conflicts }) };
  }
  const now = dhis2Date(ctx.clock());
  const entity: StoredEntity = {
    ...existing,
    deleted: true,
    lastUpdated: now,
    enrollments: existing.enrollments.map((e) => (e.deleted ? e : { ...e, deleted: true, lastUpdated: now })),
  };
  // the TEI's enrollments and events go with it (soft deletes all the way down)
  const eventWrites = ctx.events.ofEntity(uid).filter((e) => !e.deleted).map((e) => ({ event: { ...e, deleted: true, lastUpdated: now }, operation: 'delete' as const }));
  return {
    write: { entity, operation: 'delete', uniqueChecks: [] },
    eventWrites,
    summary: summary('SUCCESS', { deleted: 1 }, { ...bulkExtra, description: `Deletion of tracked entity instance ${uid} was successful` }),
  };
}

/** The single DELETE route: plan + commit one soft delete. */
export async function deleteLegacy(ctx: DomainContext, scope: RequestScope, uid: string): Promise<ImportSummary> {
  const planned = planDelete(ctx, scope, uid, false);
  if (planned.write) {
    await commitPhase(ctx, scope, 'legacy', [planned.write], true, planned.eventWrites);
    await ctx.persist();
  }
  return planned.summary;
}
