/**
 * The recorded history of one run, Jepsen-style: every operation is an invoke followed by ok,
 * fail or unknown, stamped on one logical clock so real-time order ("a completed before b was
 * invoked") is exact. The checker reasons only over this record and the emulator's journal.
 */
import type { JournalEntry, StoredEntity } from '../../mock-server/index.js';
import { isValidUid } from '../uid.js';
import type { JobSnapshot } from './jobs/snapshot.js';
import type { FaultKind, HarnessRecord, KeyKind } from './types.js';

/** ok: it reported success. fail: it reported a definite failure (nothing applied). unknown: may or may not have happened. */
export type Outcome = 'ok' | 'fail' | 'unknown';

export interface RequestTrace {
  requestId?: string;
  method: string;
  path: string;
  /** HTTP status the client saw; 0 when the connection was reset */
  status?: number;
  /** the fault the harness aimed at this request */
  fault?: FaultKind;
}

export interface CommitTrace {
  uid: string;
  operation: string;
  changes: { attribute: string; before: string | null; after: string | null }[];
  /** the emulator request that committed it */
  requestId?: string;
}

/** What an upsert said it did (robust core: `UpsertResult.action`). */
export type ReportedAction = 'created' | 'updated' | 'unchanged';

export interface HistoryOp {
  id: number;
  /** 'main' runs with concurrency and faults; 'heal' upserts each key once more after faults stop */
  phase: 'main' | 'heal';
  round: number;
  key: number;
  /** which patient the record means (the key; for org-unit-scoped keys also the facility) */
  keyId?: string;
  /** org-unit-scoped keys: only entities registered here carry this key */
  keyScope?: string;
  keyValue: string;
  record: HarnessRecord;
  /** the simulated job run that sent it (its lane) */
  client?: number;
  /** the invocation it was part of: its own id, or the first op of a batch call */
  call?: number;
  /** 'other': a write by another system (not the implementation under test) */
  actor?: 'implementation' | 'other';
  /** what the upsert reported it did, if it said */
  action?: ReportedAction;
  /**
   * Whether the operation's requests committed anything, from the journal (undefined when the
   * journal cannot tell); decides what an error means (issue: outcomes from the journal).
   */
  applied?: boolean;
  /** logical clock at invocation and completion */
  invoke: number;
  complete: number;
  /** wall-clock milliseconds since the run started */
  invokedMs: number;
  completedMs: number;
  outcome: Outcome;
  uid?: string;
  /** `outcomeUnknown`: what the error itself said about a possible write, when it said anything */
  error?: { name: string; code?: string; message: string; outcomeUnknown?: boolean };
  /** the harness gave up waiting (its per-operation limit) */
  timedOut?: boolean;
  requests: RequestTrace[];
  commits: CommitTrace[];
  /** the emulator's journal entries caused by this operation's requests */
  journal: JournalEntry[];
  /** output the implementation attached through `ctx.log` (the last lines; see op-logs.ts) */
  logs?: string[];
}

export interface EntitySnapshot {
  uid: string;
  orgUnit: string;
  deleted: boolean;
  attributes: Record<string, string>;
}

export interface History {
  keyKind: KeyKind;
  keyAttribute: string;
  ops: HistoryOp[];
  events: { t: number; type: 'invoke' | Outcome; op: number }[];
  /** the order in which the scheduler released requests and commit windows (scheduled mode) */
  interleaving: string[];
  snapshots: { initial: EntitySnapshot[]; afterMain: EntitySnapshot[]; final: EntitySnapshot[] };
  /** enrollments and events at the end; present only when the records carried enrollments (the job checks read it) */
  jobs?: JobSnapshot;
  /** false when the server offered no journal (then commits are unknown and journal checks are skipped) */
  journalAvailable: boolean;
}

export function snapshotOf(entities: Iterable<StoredEntity>): EntitySnapshot[] {
  return [...entities]
    .map((e) => ({ uid: e.uid, orgUnit: e.orgUnit, deleted: e.deleted, attributes: Object.fromEntries(e.attributes.map((a) => [a.attribute, a.value])) }))
    .sort((a, b) => a.uid.localeCompare(b.uid));
}

/**
 * Success, definite failure or unknown. Only an error that says so (`outcomeUnknown === false`, as
 * this package's typed errors do for 4xx answers) is a definite failure; any other rejection may
 * have happened after a write reached the server.
 */
export function classifyError(err: unknown): Outcome {
  const e = err as { outcomeUnknown?: unknown } | null;
  return e && typeof e === 'object' && e.outcomeUnknown === false ? 'fail' : 'unknown';
}

export function describeError(err: unknown): NonNullable<HistoryOp['error']> {
  if (err instanceof Error) {
    const { code, outcomeUnknown } = err as { code?: unknown; outcomeUnknown?: unknown };
    return {
      name: err.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: err.message.slice(0, 500),
      ...(typeof outcomeUnknown === 'boolean' ? { outcomeUnknown } : {}),
    };
  }
  return { name: 'Error', message: String(err).slice(0, 500) };
}

const ACTIONS = new Set<string>(['created', 'updated', 'unchanged']);

/** The action an implementation reported (`{ action }` of the robust core and upsertMany). */
export function extractAction(result: unknown): ReportedAction | undefined {
  const a = result && typeof result === 'object' ? (result as { action?: unknown }).action : undefined;
  return typeof a === 'string' && ACTIONS.has(a) ? (a as ReportedAction) : undefined;
}

/** The UID an implementation returned: a bare UID, or a `uid`/`trackedEntity`/`trackedEntityInstance`/`reference` field. */
export function extractUid(result: unknown): string | undefined {
  if (typeof result === 'string') {
    const text = result.trim();
    if (isValidUid(text)) return text;
    try {
      return extractUid(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  if (!result || typeof result !== 'object') return undefined;
  const r = result as Record<string, unknown>;
  for (const field of ['uid', 'trackedEntity', 'trackedEntityInstance', 'reference']) {
    if (isValidUid(r[field])) return r[field] as string;
  }
  return undefined;
}

/** Hands out the logical clock and collects events; operations fill in their own details. */
export class HistoryRecorder {
  private clock = 0;
  readonly events: History['events'] = [];
  readonly ops: HistoryOp[] = [];
  private readonly started = Date.now();

  invoke(op: Omit<HistoryOp, 'invoke' | 'complete' | 'invokedMs' | 'completedMs' | 'outcome' | 'requests' | 'commits' | 'journal'>, at?: number): HistoryOp {
    const entry: HistoryOp = {
      ...op,
      invoke: at ?? ++this.clock,
      complete: Number.POSITIVE_INFINITY,
      invokedMs: Date.now() - this.started,
      completedMs: Number.NaN,
      outcome: 'unknown',
      requests: [],
      commits: [],
      journal: [],
    };
    this.ops.push(entry);
    this.events.push({ t: entry.invoke, type: 'invoke', op: entry.id });
    return entry;
  }

  /** The next tick of the logical clock (ops of one batch call share their invoke and complete ticks). */
  tick(): number {
    return ++this.clock;
  }

  complete(op: HistoryOp, outcome: Outcome, detail: { uid?: string; error?: unknown; action?: ReportedAction }, at?: number): void {
    op.complete = at ?? ++this.clock;
    op.completedMs = Date.now() - this.started;
    op.outcome = outcome;
    if (detail.uid) op.uid = detail.uid;
    if (detail.action) op.action = detail.action;
    if (detail.error !== undefined) op.error = describeError(detail.error);
    this.events.push({ t: op.complete, type: outcome, op: op.id });
  }
}
