import { UidConstraintError, type CommitOperation } from '../store/entity-store.js';
import type { DomainContext, RequestScope } from './context.js';
import { clashNow, type EnrollmentCheck, type EnrollmentClash } from './enrollments/existing.js';
import { stageOccupant } from './events/stage.js';
import { rebaseWrite } from './rebase.js';
import type { StoredEntity, StoredEvent } from './types.js';
import { conflictingHolders, type UniquenessQuery } from './uniqueness.js';

export interface PendingWrite {
  entity: StoredEntity;
  operation: CommitOperation;
  /** unique values this write was checked for; re-checked at commit time in `atomic` mode */
  uniqueChecks: UniquenessQuery[];
  /** enrollments the write brings in (or re-activates), checked against the entity's others */
  enrollmentChecks?: EnrollmentCheck[];
  /** enrollment UIDs the write creates: a concurrent create of the same UID hits the uid constraint */
  createsEnrollments?: string[];
}

export interface PendingEventWrite {
  event: StoredEvent;
  operation: CommitOperation;
  /** the event's stage is not repeatable: no other live event of it in the enrollment (re-checked in `atomic`) */
  stageCheck?: boolean;
}

export interface CommitOutcome {
  committed: PendingWrite[];
  /** writes refused at commit time because another commit took their unique value (atomic mode) */
  refused: { write: PendingWrite; query: UniquenessQuery }[];
  /** enrollments refused at commit time because another commit enrolled meanwhile (atomic mode) */
  refusedEnrollments: { write: PendingWrite; check: EnrollmentCheck; clash: EnrollmentClash }[];
  committedEvents: PendingEventWrite[];
  /** events refused at commit time: their stage was taken meanwhile, or their enrollment was refused */
  refusedEvents: { write: PendingEventWrite; reason: 'stage' | 'enrollment' | 'entity' }[];
}

/**
 * The commit half of an import. In `racy` mode it first awaits the race window (the checks already
 * ran against committed state, so a concurrent import may commit the same value, enrollment or
 * stage meanwhile). In `atomic` mode there is no await and every check is re-run synchronously, so
 * check and insert are one indivisible step. A create whose UID (entity, enrollment or event) was
 * taken meanwhile fails the whole request, as DHIS2's unique constraints on the uid columns do.
 */
export async function commitPhase(
  ctx: DomainContext,
  scope: RequestScope,
  api: 'legacy' | 'tracker',
  writes: PendingWrite[],
  allOrNothing: boolean,
  events: PendingEventWrite[] = [],
): Promise<CommitOutcome> {
  // what each update was planned against: planning is synchronous, so nothing has changed yet
  const bases = new Map(writes.map((w) => [w, ctx.store.get(w.entity.uid)]));
  if (ctx.uniqueness.mode === 'racy' && writes.length + events.length > 0) {
    await ctx.uniqueness.between({
      requestId: scope.requestId,
      api,
      uids: writes.map((w) => w.entity.uid),
      keys: writes.flatMap((w) => w.uniqueChecks.map((q) => ({ attribute: q.attribute.id, value: q.value }))),
      enrollmentKeys: writes.flatMap((w) => (w.enrollmentChecks ?? []).map((c) => ({ trackedEntity: c.trackedEntity, program: c.program, enrollment: c.enrollment }))),
      eventUids: events.map((e) => e.event.uid),
      stageKeys: events.filter((e) => e.stageCheck).map((e) => ({ enrollment: e.event.enrollment, programStage: e.event.programStage, event: e.event.uid })),
    });
  }
  // From here to the end: synchronous, so nothing interleaves.
  for (const w of writes) {
    if (w.operation === 'create' && ctx.store.has(w.entity.uid)) throw new UidConstraintError(w.entity.uid);
    for (const uid of w.createsEnrollments ?? []) if (ctx.store.hasEnrollment(uid)) throw new UidConstraintError(uid, 'programinstance');
  }
  for (const e of events) if (e.operation === 'create' && ctx.events.has(e.event.uid)) throw new UidConstraintError(e.event.uid, 'programstageinstance');

  const outcome: CommitOutcome = { committed: [], refused: [], refusedEnrollments: [], committedEvents: [], refusedEvents: [] };
  if (ctx.uniqueness.mode === 'atomic') recheck(ctx, api, writes, events, outcome);
  const anyRefused = outcome.refused.length + outcome.refusedEnrollments.length + outcome.refusedEvents.length > 0;
  if (anyRefused && allOrNothing) return outcome;

  const refusedWrites = new Set(outcome.refused.map((r) => r.write));
  for (const w of writes) {
    if (refusedWrites.has(w)) continue;
    const base = bases.get(w);
    const refusedHere = outcome.refusedEnrollments.filter((r) => r.write === w).map((r) => r.check.enrollment);
    if (refusedHere.length > 0) w.entity = withoutEnrollments(w.entity, base, refusedHere);
    const current = ctx.store.get(w.entity.uid);
    if (w.operation !== 'create' && base && current && current !== base) w.entity = rebaseWrite(base, w.entity, current);
    ctx.store.commit(w.entity, w.operation, scope.requestId);
    outcome.committed.push(w);
  }
  const refusedEvents = new Set(outcome.refusedEvents.map((r) => r.write));
  for (const e of events) {
    if (refusedEvents.has(e)) continue;
    ctx.events.commit(e.event, e.operation, scope.requestId);
    outcome.committedEvents.push(e);
  }
  return outcome;
}

/** atomic: every check of the plan again, against the state as it is now. */
function recheck(ctx: DomainContext, api: 'legacy' | 'tracker', writes: PendingWrite[], events: PendingEventWrite[], outcome: CommitOutcome): void {
  for (const w of writes) {
    const q = w.uniqueChecks.find((check) => conflictingHolders(ctx.store, check).length > 0);
    if (q) outcome.refused.push({ write: w, query: q });
    for (const check of w.enrollmentChecks ?? []) {
      const clash = clashNow(ctx.store, check);
      if (clash) outcome.refusedEnrollments.push({ write: w, check, clash });
    }
  }
  const refusedWrites = new Set(outcome.refused.map((r) => r.write.entity.uid));
  const refusedEnrollments = new Set(outcome.refusedEnrollments.map((r) => r.check.enrollment));
  const claimed = new Set<string>();
  for (const e of events) {
    const ev = e.event;
    if (refusedEnrollments.has(ev.enrollment)) outcome.refusedEvents.push({ write: e, reason: 'enrollment' });
    else if (refusedWrites.has(ev.trackedEntity) && !ctx.store.has(ev.trackedEntity)) outcome.refusedEvents.push({ write: e, reason: 'entity' });
    else if (e.stageCheck && !ev.deleted) {
      // two events of one request for the same stage were refused by validation already
      const key = `${ev.enrollment}\u0000${ev.programStage}`;
      if (stageOccupant(ctx.events, ev.enrollment, ev.programStage, ev.uid, api === 'legacy') || claimed.has(key)) {
        outcome.refusedEvents.push({ write: e, reason: 'stage' });
      } else claimed.add(key);
    }
  }
}

/** The planned entity without the refused enrollments: their stored version where there is one. */
function withoutEnrollments(planned: StoredEntity, base: StoredEntity | undefined, refused: string[]): StoredEntity {
  const enrollments = planned.enrollments.flatMap((e) => {
    if (!refused.includes(e.uid)) return [e];
    const stored = base?.enrollments.find((x) => x.uid === e.uid);
    return stored ? [stored] : [];
  });
  return { ...planned, enrollments };
}
