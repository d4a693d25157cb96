import type { StoredEnrollment, StoredEntity, StoredEvent } from '../dhis2/types.js';

export type CommitOperation = 'create' | 'update' | 'delete';

interface CommitBase {
  /** one sequence across every table, so the journal orders commits of all kinds */
  seq: number;
  at: number;
  uid: string;
  operation: CommitOperation;
  /** correlation id of the request that committed it, when known */
  requestId?: string;
}

export interface EntityCommit extends CommitBase {
  /** absent means a tracked entity too (commits recorded before the other tables existed) */
  kind?: 'trackedEntity';
  before: StoredEntity | null;
  after: StoredEntity;
}

export interface EnrollmentCommit extends CommitBase {
  kind: 'enrollment';
  trackedEntity: string;
  before: StoredEnrollment | null;
  after: StoredEnrollment;
}

export interface EventCommit extends CommitBase {
  kind: 'event';
  before: StoredEvent | null;
  after: StoredEvent;
}

export type CommitEvent = EntityCommit | EnrollmentCommit | EventCommit;

type Omitted<T> = T extends unknown ? Omit<T, 'seq' | 'at'> : never;
export type CommitListener = (event: CommitEvent) => void;

/**
 * The commits of every table, numbered in one sequence and handed to the listeners (the journal).
 * Tables share one feed per emulator so that "commit 17" means the same thing everywhere.
 */
export class CommitFeed {
  private counter = 0;
  private readonly listeners: CommitListener[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  get seq(): number {
    return this.counter;
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  publish<E extends Omitted<CommitEvent>>(partial: E): E & { seq: number; at: number } {
    const event = { ...partial, seq: ++this.counter, at: this.clock() };
    for (const listener of this.listeners) listener(event as CommitEvent);
    return event;
  }
}

/** A second create of a UID fails like the database's unique constraint on the table's uid column (spec §6). */
export class UidConstraintError extends Error {
  readonly code = 'UID_CONSTRAINT';
  constructor(readonly uid: string, readonly table: 'trackedentityinstance' | 'programinstance' | 'programstageinstance' = 'trackedentityinstance') {
    // the trackedentityinstance constraint name is the base schema's; the others' names are inferred
    const constraint = table === 'trackedentityinstance' ? 'uk_rbr4kyuk4s0kb4jo1r77cuaq9' : `uk_${table}_uid`;
    super(
      `could not execute statement; SQL [n/a]; constraint [${constraint}]; ` +
        `nested exception is org.hibernate.exception.ConstraintViolationException: duplicate key value ` +
        `violates unique constraint "${constraint}" Detail: Key (uid)=(${uid}) already exists.`,
    );
  }
}
