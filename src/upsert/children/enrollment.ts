/**
 * Adopt-or-create for one enrollment, with the entity's recovery rules: read the derived UID first
 * (so a retry after an unknown outcome finds its own committed create), then the entity's
 * enrollments in the program (another system may have enrolled them: adopt, never a second one),
 * then create with the derived UID and strategy CREATE. A rejected create re-reads: the UID
 * exists (a concurrent run won), the slot is taken (E1015/E1016: adopt), or the UID was
 * soft-deleted (next generation).
 */
import { Dhis2ConflictError, HarnessError } from '../../errors.js';
import { RetryBudget } from '../retry-policy.js';
import type { ValidEnrollment } from '../record-enrollments.js';
import { classifyChildConflicts } from './conflicts.js';
import type { ChildCtx } from './context.js';
import type { ProgramMeta } from './program-meta.js';
import type { ChildAction, FoundEnrollment } from './types.js';
import { dayOf, enrollmentUid } from './uids.js';

export const MAX_CHILD_GENERATIONS = 8;

/**
 * The enrollment a record adopts among the entity's live ones (oldest first): in an only-enroll-once
 * program any ACTIVE or COMPLETED one (DHIS2 refuses a second, E1016); otherwise the ACTIVE one
 * (E1015 allows only one), else one enrolled on the record's day.
 */
export function pickEnrollment(list: readonly FoundEnrollment[], onlyEnrollOnce: boolean, enrolledAt: string): FoundEnrollment | undefined {
  const live = list.filter((e) => e.status !== 'CANCELLED');
  const active = live.find((e) => e.status === 'ACTIVE');
  if (active) return active;
  if (onlyEnrollOnce) return live[0];
  return live.find((e) => e.enrolledAt !== undefined && dayOf(e.enrolledAt) === dayOf(enrolledAt));
}

export interface ResolvedEnrollment {
  uid: string;
  action: ChildAction;
  /** where its events go when the record names no org unit for them */
  orgUnit: string;
}

export async function upsertEnrollment(ctx: ChildCtx, entity: string, recordOrgUnit: string, en: ValidEnrollment, meta: ProgramMeta): Promise<ResolvedEnrollment> {
  const budget = new RetryBudget(ctx.retry, ctx.env);
  const orgUnit = en.orgUnit ?? recordOrgUnit;
  let generation = 0;
  let recoveries = 0;
  let existsOrDeleted = false;
  // a create sent whose outcome is unknown: found later, it is reported as created
  let pending: { uid: string; action: ChildAction } | undefined;
  const done = (f: { uid: string; orgUnit?: string }): ResolvedEnrollment => ({ uid: f.uid, action: pending?.uid === f.uid ? pending.action : 'unchanged', orgUnit: f.orgUnit ?? orgUnit });

  for (;;) {
    budget.begin();
    let phase: 'read' | 'create' = 'read';
    const before = pending;
    try {
      const uid = enrollmentUid(entity, en.program, meta.onlyEnrollOnce ? undefined : en.enrolledAt, generation);
      const found = await ctx.api.readEnrollment(ctx.http, uid, ctx.signal);
      if (found) return done(found);
      if (existsOrDeleted) {
        // the create said "already exists or was deleted earlier" and the UID cannot be read: deleted
        existsOrDeleted = false;
        if (++generation > MAX_CHILD_GENERATIONS) throw new HarnessError(`Enrollment UIDs for ${entity} in ${en.program} keep being taken by deleted enrollments; check the entity in DHIS2.`);
        continue;
      }
      const adopted = pickEnrollment(await ctx.api.listEnrollments(ctx.http, entity, en.program, ctx.signal), meta.onlyEnrollOnce, en.enrolledAt);
      if (adopted) return done(adopted);
      phase = 'create';
      pending = { uid, action: 'created' };
      await ctx.api.createEnrollment(ctx.http, { uid, trackedEntity: entity, program: en.program, orgUnit, enrolledAt: en.enrolledAt }, ctx.signal);
      return { uid, action: 'created', orgUnit };
    } catch (err) {
      // a definite rejection wrote nothing: what was pending before it still is
      if (phase === 'create' && (err as { outcomeUnknown?: unknown }).outcomeUnknown === false) pending = before;
      if (err instanceof Dhis2ConflictError && phase === 'create') {
        const kind = classifyChildConflicts(err.conflicts);
        if (kind === 'deleted' && generation < MAX_CHILD_GENERATIONS) {
          generation++;
          await budget.wait(budget.next(err, { force: true, immediate: true }), ctx.signal);
          continue;
        }
        if ((kind === 'exists' || kind === 'exists-or-deleted' || kind === 'occupied') && recoveries < ctx.maxRecoveries) {
          recoveries++;
          existsOrDeleted = kind === 'exists-or-deleted';
          // the first re-read at once (a concurrent run just won); later ones back off
          await budget.wait(budget.next(err, { force: true, immediate: recoveries === 1 }), ctx.signal);
          continue;
        }
      }
      await budget.wait(budget.next(err), ctx.signal);
    }
  }
}
