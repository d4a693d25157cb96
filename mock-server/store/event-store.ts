import type { StoredEvent } from '../dhis2/types.js';
import { CommitFeed, UidConstraintError, type CommitOperation, type EventCommit } from './commit-feed.js';
import { RecentCommits } from './recent-commits.js';

/**
 * Events by UID (soft-deleted included), indexed by enrollment and by tracked entity so that the
 * non-repeatable-stage check, the cascade of a delete and the exports never scan the table.
 * Events are replaced, never mutated in place (readers keep consistent snapshots).
 */
export class EventStore {
  private readonly byUid = new Map<string, StoredEvent>();
  private readonly byEnrollment = new Map<string, Set<string>>();
  private readonly byEntity = new Map<string, Set<string>>();
  /** recent commits, for stale reads (fault plans) */
  private readonly recent: RecentCommits<StoredEvent>;

  constructor(readonly feed: CommitFeed, clock: () => number = Date.now) {
    this.recent = new RecentCommits(clock);
  }

  get size(): number {
    return this.byUid.size;
  }

  get(uid: string): StoredEvent | undefined {
    return this.byUid.get(uid);
  }

  has(uid: string): boolean {
    return this.byUid.has(uid);
  }

  all(): IterableIterator<StoredEvent> {
    return this.byUid.values();
  }

  /** Events of an enrollment (soft-deleted included). */
  ofEnrollment(enrollment: string): StoredEvent[] {
    return [...(this.byEnrollment.get(enrollment) ?? [])].map((uid) => this.byUid.get(uid)!);
  }

  /** Events of a tracked entity (soft-deleted included). */
  ofEntity(trackedEntity: string): StoredEvent[] {
    return [...(this.byEntity.get(trackedEntity) ?? [])].map((uid) => this.byUid.get(uid)!);
  }

  /** Insert or replace. `create` of a UID that exists throws the programstageinstance uid constraint. */
  commit(after: StoredEvent, operation: CommitOperation, requestId?: string): EventCommit {
    const before = this.byUid.get(after.uid) ?? null;
    if (operation === 'create' && before) throw new UidConstraintError(after.uid, 'programstageinstance');
    this.put(after, before);
    const event = this.feed.publish({ kind: 'event' as const, uid: after.uid, operation, before, after, requestId });
    this.recent.push(event);
    return event;
  }

  /** Load without emitting commits (fixtures, persisted state). */
  load(events: Iterable<StoredEvent>): void {
    for (const e of events) this.put({ ...e, dataValues: Array.isArray(e.dataValues) ? e.dataValues : [] }, this.byUid.get(e.uid) ?? null);
  }

  clear(): void {
    this.byUid.clear();
    this.byEnrollment.clear();
    this.byEntity.clear();
    this.recent.clear();
  }

  /** Events that differ from an older state (event commits `commitsAgo` ago or `msAgo` ms ago): uid → then. */
  staleOverlay(opts: { commitsAgo?: number; msAgo?: number }): Map<string, StoredEvent | null> {
    return this.recent.staleOverlay(opts);
  }

  private put(after: StoredEvent, before: StoredEvent | null): void {
    if (before) {
      this.byEnrollment.get(before.enrollment)?.delete(before.uid);
      this.byEntity.get(before.trackedEntity)?.delete(before.uid);
    }
    add(this.byEnrollment, after.enrollment, after.uid);
    add(this.byEntity, after.trackedEntity, after.uid);
    this.byUid.set(after.uid, after);
  }
}

function add(index: Map<string, Set<string>>, key: string, uid: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(uid);
}
