import type { StoredAttributeValue, StoredEnrollment, StoredEntity } from '../dhis2/types.js';
import { CommitFeed, UidConstraintError, type CommitListener, type CommitOperation, type EntityCommit } from './commit-feed.js';
import { RecentCommits } from './recent-commits.js';
import { StringPool } from './string-pool.js';
import { ValueIndex } from './value-index.js';

export { UidConstraintError, type CommitEvent, type CommitOperation, type EntityCommit, type EnrollmentCommit, type EventCommit } from './commit-feed.js';

/** Where a stored enrollment lives: the entity record that owns it. */
export interface EnrollmentRef {
  entity: StoredEntity;
  enrollment: StoredEnrollment;
}

/**
 * Tracked entities by UID (soft-deleted included) with a (attribute, lower(value)) index so that
 * get-by-UID and search by unique attribute never scan. Entities are replaced, never mutated in
 * place, so a reader holding an old object sees a consistent snapshot. An entity's enrollments are
 * part of its record (they commit with it); the store indexes them by UID and publishes each
 * changed enrollment as its own `enrollment` commit after the entity's.
 */
export class EntityStore {
  private readonly byUid = new Map<string, StoredEntity>();
  private readonly values = new ValueIndex();
  private readonly byType = new Map<string, Set<string>>();
  /** enrollment UID → UID of the entity whose record holds it */
  private readonly enrollmentOwner = new Map<string, string>();
  /** recent commits, for stale reads (fault plans) */
  private readonly recent: RecentCommits<StoredEntity>;
  private readonly strings = new StringPool();
  readonly feed: CommitFeed;

  constructor(private readonly clock: () => number = Date.now, feed?: CommitFeed) {
    this.feed = feed ?? new CommitFeed(clock);
    this.recent = new RecentCommits(clock);
  }

  /** the last commit number of any table sharing this store's feed */
  get seq(): number {
    return this.feed.seq;
  }

  get size(): number {
    return this.byUid.size;
  }

  get(uid: string): StoredEntity | undefined {
    return this.byUid.get(uid);
  }

  has(uid: string): boolean {
    return this.byUid.has(uid);
  }

  /**
   * Whether a UID is taken, soft-deleted rows included: the server's UID generator skips these.
   * A table whose rows get server-minted UIDs of their own belongs here too.
   */
  uidInUse(uid: string): boolean {
    return this.byUid.has(uid);
  }

  all(): IterableIterator<StoredEntity> {
    return this.byUid.values();
  }

  ofType(trackedEntityType: string): StoredEntity[] {
    const uids = this.byType.get(trackedEntityType);
    if (!uids) return [];
    return [...uids].map((uid) => this.byUid.get(uid)!);
  }

  /** Entities (deleted included) holding `value` for `attribute`, compared case-insensitively. */
  holders(attribute: string, value: string): StoredEntity[] {
    return this.values.lookup(attribute, value).map((uid) => this.byUid.get(uid)!);
  }

  /** The enrollment with this UID (soft-deleted included) and its entity. */
  enrollment(uid: string): EnrollmentRef | undefined {
    const owner = this.enrollmentOwner.get(uid);
    const entity = owner === undefined ? undefined : this.byUid.get(owner);
    const enrollment = entity?.enrollments.find((e) => e.uid === uid);
    return entity && enrollment ? { entity, enrollment } : undefined;
  }

  hasEnrollment(uid: string): boolean {
    return this.enrollmentOwner.has(uid);
  }

  /** Every stored enrollment with its entity (soft-deleted included). */
  *allEnrollments(): IterableIterator<EnrollmentRef> {
    for (const entity of this.byUid.values()) for (const enrollment of entity.enrollments) yield { entity, enrollment };
  }

  /** Listens to the commits of every table on this store's feed. */
  onCommit(listener: CommitListener): () => void {
    return this.feed.onCommit(listener);
  }

  /**
   * Insert or replace. `create` of a UID that exists throws {@link UidConstraintError}; so does a
   * write that brings in an enrollment whose UID another entity's record already holds (the
   * programinstance uid constraint).
   */
  commit(after: StoredEntity, operation: CommitOperation, requestId?: string): EntityCommit {
    const before = this.byUid.get(after.uid) ?? null;
    if (operation === 'create' && before) throw new UidConstraintError(after.uid);
    for (const e of after.enrollments) {
      const owner = this.enrollmentOwner.get(e.uid);
      if (owner !== undefined && owner !== after.uid) throw new UidConstraintError(e.uid, 'programinstance');
    }
    this.put(after, before);
    const event = this.feed.publish({ kind: 'trackedEntity' as const, uid: after.uid, operation, before, after, requestId });
    this.recent.push(event);
    this.publishEnrollments(before, after, requestId);
    return event;
  }

  /** One `enrollment` commit per enrollment the write added or replaced (same object = untouched). */
  private publishEnrollments(before: StoredEntity | null, after: StoredEntity, requestId: string | undefined): void {
    if (after.enrollments.length === 0) return;
    const old = new Map((before?.enrollments ?? []).map((e) => [e.uid, e]));
    for (const e of after.enrollments) {
      const prior = old.get(e.uid) ?? null;
      if (prior === e) continue;
      const operation: CommitOperation = !prior ? 'create' : e.deleted && !prior.deleted ? 'delete' : 'update';
      this.feed.publish({ kind: 'enrollment' as const, uid: e.uid, trackedEntity: after.uid, operation, before: prior, after: e, requestId });
    }
  }

  /** Load without emitting commits (fixtures, persisted state). */
  load(entities: Iterable<StoredEntity>): void {
    for (const raw of entities) {
      // records written by hand or before enrollments were modelled may lack the list
      const e = Array.isArray(raw.enrollments) ? raw : { ...raw, enrollments: [] };
      this.put(e, this.byUid.get(e.uid) ?? null);
    }
  }

  clear(): void {
    this.byUid.clear();
    this.values.clear();
    this.byType.clear();
    this.enrollmentOwner.clear();
    this.recent.clear();
  }

  /**
   * The state as it was `commitsAgo` commits ago or `msAgo` milliseconds ago, for stale-search
   * faults. Returns the entities that differ from now: uid → old version (null = did not exist).
   */
  staleOverlay(opts: { commitsAgo?: number; msAgo?: number }): Map<string, StoredEntity | null> {
    return this.recent.staleOverlay(opts);
  }

  private put(after: StoredEntity, before: StoredEntity | null): void {
    this.share(after);
    if (before) {
      for (const a of before.attributes) this.values.remove(a.attribute, a.value, before.uid);
      this.byType.get(before.trackedEntityType)?.delete(before.uid);
      for (const e of before.enrollments) if (this.enrollmentOwner.get(e.uid) === before.uid) this.enrollmentOwner.delete(e.uid);
    }
    for (const a of after.attributes) this.values.add(a.attribute, a.value, after.uid);
    for (const e of after.enrollments) this.enrollmentOwner.set(e.uid, after.uid);
    let set = this.byType.get(after.trackedEntityType);
    if (!set) this.byType.set(after.trackedEntityType, (set = new Set()));
    set.add(after.uid);
    this.byUid.set(after.uid, after);
  }

  /**
   * Memory: replaces strings by equal ones already held (pooled UIDs and usernames; an attribute's
   * timestamps by the entity's own when equal, as they are after a create). Only identity changes,
   * never a value, so this is invisible to every reader. Frozen input is left as it is.
   */
  private share(e: StoredEntity): void {
    if (Object.isFrozen(e)) return;
    e.trackedEntityType = this.strings.intern(e.trackedEntityType);
    e.orgUnit = this.strings.intern(e.orgUnit);
    if (e.storedBy !== undefined) e.storedBy = this.strings.intern(e.storedBy);
    if (e.lastUpdated === e.created) e.lastUpdated = e.created;
    for (const a of e.attributes) if (!Object.isFrozen(a)) this.shareAttribute(e, a);
  }

  private shareAttribute(e: StoredEntity, a: StoredAttributeValue): void {
    a.attribute = this.strings.intern(a.attribute);
    if (a.storedBy !== undefined) a.storedBy = this.strings.intern(a.storedBy);
    a.created = a.created === e.created ? e.created : a.created === e.lastUpdated ? e.lastUpdated : a.created;
    a.lastUpdated = a.lastUpdated === e.lastUpdated ? e.lastUpdated : a.lastUpdated === a.created ? a.created : a.lastUpdated;
  }
}

