import { UidConstraintError, type CommitOperation } from '../store/entity-store.js';
import type { DomainContext, RequestScope } from './context.js';
import { rebaseWrite } from './rebase.js';
import type { StoredEntity } from './types.js';
import { conflictingHolders, type UniquenessQuery } from './uniqueness.js';

export interface PendingWrite {
  entity: StoredEntity;
  operation: CommitOperation;
  /** unique values this write was checked for; re-checked at commit time in `atomic` mode */
  uniqueChecks: UniquenessQuery[];
}

export interface CommitOutcome {
  committed: PendingWrite[];
  /** writes refused at commit time because another commit took their unique value (atomic mode) */
  refused: { write: PendingWrite; query: UniquenessQuery }[];
}

/**
 * The commit half of an import. In `racy` mode it first awaits the race window (the checks already
 * ran against committed state, so a concurrent import may commit the same value meanwhile). In
 * `atomic` mode there is no await and the unique values are re-checked synchronously, so check and
 * insert are one indivisible step. A create whose UID was taken meanwhile fails the whole request,
 * as DHIS2's unique constraint on trackedentityinstance.uid does.
 */
export async function commitPhase(
  ctx: DomainContext,
  scope: RequestScope,
  api: 'legacy' | 'tracker',
  writes: PendingWrite[],
  allOrNothing: boolean,
): Promise<CommitOutcome> {
  // what each update was planned against: planning is synchronous, so nothing has changed yet
  const bases = new Map(writes.map((w) => [w, ctx.store.get(w.entity.uid)]));
  if (ctx.uniqueness.mode === 'racy' && writes.length > 0) {
    await ctx.uniqueness.between({
      requestId: scope.requestId,
      api,
      uids: writes.map((w) => w.entity.uid),
      keys: writes.flatMap((w) => w.uniqueChecks.map((q) => ({ attribute: q.attribute.id, value: q.value }))),
    });
  }
  // From here to the end: synchronous, so nothing interleaves.
  for (const w of writes) if (w.operation === 'create' && ctx.store.has(w.entity.uid)) throw new UidConstraintError(w.entity.uid);
  const refused: CommitOutcome['refused'] = [];
  if (ctx.uniqueness.mode === 'atomic') {
    for (const w of writes) {
      const q = w.uniqueChecks.find((check) => conflictingHolders(ctx.store, check).length > 0);
      if (q) refused.push({ write: w, query: q });
    }
    if (refused.length > 0 && allOrNothing) return { committed: [], refused };
  }
  const refusedSet = new Set(refused.map((r) => r.write));
  const committed: PendingWrite[] = [];
  for (const w of writes) {
    if (refusedSet.has(w)) continue;
    const base = bases.get(w);
    const current = ctx.store.get(w.entity.uid);
    if (w.operation !== 'create' && base && current && current !== base) w.entity = rebaseWrite(base, w.entity, current);
    ctx.store.commit(w.entity, w.operation, scope.requestId);
    committed.push(w);
  }
  return { committed, refused };
}
