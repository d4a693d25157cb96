import type { StoredAttributeValue, StoredEntity } from '../dhis2/types.js';
import { StringPool } from './string-pool.js';
import { ValueIndex } from './value-index.js';

export type CommitOperation = 'create' | 'update' | 'delete';

export interface CommitEvent {
  seq: number;
  at: number;
  uid: string;
  operation: CommitOperation;
  before: StoredEntity | null;
  after: StoredEntity;
  /** correlation id of the request that committed it, when known */
  requestId?: string;
}

/** The UID is a database key: a second create of the same UID fails like DHIS2's unique constraint (spec §6). */
export class UidConstraintError extends Error {
  readonly code = 'UID_CONSTRAINT';
  constructor(readonly uid: string) {
    super(
      `could not execute statement; SQL [n/a]; constraint [uk_rbr4kyuk4s0kb4jo1r77cuaq9]; ` +
        `nested exception is org.hibernate.exception.ConstraintViolationException: duplicate key value ` +
        `violates unique constraint "uk_rbr4kyuk4s0kb4jo1r77cuaq9" Detail: Key (uid)=(${uid}) already exists.`,
    );
  }
}

type CommitListener = (event: CommitEvent) => void;

/**
 * Tracked entities by UID (soft-deleted included) with a (attribute, lower(value)) index so that
 * get-by-UID and search by unique attribute never scan. Entities are replaced, never mutated in
 * place, so a reader holding an old object sees a consistent snapshot.
 */
export class EntityStore {
  private readonly byUid = new Map<string, StoredEntity>();
  private readonly values = new ValueIndex();
  private readonly byType = new Map<string, Set<string>>();
  private readonly listeners: CommitListener[] = [];
  private seqCounter = 0;
  /** recent commits, newest last, for stale reads (fault plans) */
  private readonly recent: CommitEvent[] = [];
  private readonly recentLimit = 10_000;
  private readonly strings = new StringPool();

  constructor(private readonly clock: () => number = Date.now) {}

  get seq(): number {
    return this.seqCounter;
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

  onCommit(listener: CommitListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Insert or replace. `create` of a UID that exists throws {@link UidConstraintError}. */
  commit(after: StoredEntity, operation: CommitOperation, requestId?: string): CommitEvent {
    const before = this.byUid.get(after.uid) ?? null;
    if (operation === 'create' && before) throw new UidConstraintError(after.uid);
    this.put(after, before);
    const event: CommitEvent = { seq: ++this.seqCounter, at: this.clock(), uid: after.uid, operation, before, after, requestId };
    this.recent.push(event);
    // trimmed in batches: splicing one event off a 10,000-element array on every commit is a
    // memmove per write; readers only ever look at the last recentLimit events
    if (this.recent.length >= this.recentLimit + RECENT_SLACK) this.recent.splice(0, this.recent.length - this.recentLimit);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Load without emitting commits (fixtures, persisted state). */
  load(entities: Iterable<StoredEntity>): void {
    for (const e of entities) this.put(e, this.byUid.get(e.uid) ?? null);
  }

  clear(): void {
    this.byUid.clear();
    this.values.clear();
    this.byType.clear();
    this.recent.length = 0;
  }

  /**
   * The state as it was `commitsAgo` commits ago or `msAgo` milliseconds ago, for stale-search
   * faults. Returns the entities that differ from now: uid → old version (null = did not exist).
   */
  staleOverlay(opts: { commitsAgo?: number; msAgo?: number }): Map<string, StoredEntity | null> {
    const overlay = new Map<string, StoredEntity | null>();
    const cutoff = opts.msAgo !== undefined ? this.clock() - opts.msAgo : Infinity;
    const n = opts.commitsAgo ?? 0;
    const oldest = Math.max(0, this.recent.length - this.recentLimit);
    for (let i = this.recent.length - 1, k = 0; i >= oldest; i--, k++) {
      const ev = this.recent[i];
      if (k >= n && ev.at <= cutoff) break;
      overlay.set(ev.uid, ev.before);
    }
    return overlay;
  }

  private put(after: StoredEntity, before: StoredEntity | null): void {
    this.share(after);
    if (before) {
      for (const a of before.attributes) this.values.remove(a.attribute, a.value, before.uid);
      this.byType.get(before.trackedEntityType)?.delete(before.uid);
    }
    for (const a of after.attributes) this.values.add(a.attribute, a.value, after.uid);
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

const RECENT_SLACK = 1024;
