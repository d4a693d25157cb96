/**
 * Typed findings: one per violated property, per key, each carrying the evidence a reader needs
 * to see the bug without re-running anything. `code` values are stable (reports, CI greps).
 */

export const FINDING_CODES = {
  merged: 'MERGED',
  duplicate: 'DUPLICATE',
  notIdempotent: 'NOT_IDEMPOTENT',
  lostAttribute: 'LOST_ATTRIBUTE',
  ambiguityWrite: 'AMBIGUITY_WRITE',
  notConverged: 'NOT_CONVERGED',
  nonLinearizable: 'NON_LINEARIZABLE',
  batchDiverges: 'BATCH_DIVERGES',
  untrueAction: 'UNTRUE_ACTION',
  duplicateEnrollment: 'DUPLICATE_ENROLLMENT',
  duplicateEvent: 'DUPLICATE_EVENT',
  lostDataValue: 'LOST_DATA_VALUE',
} as const;

export type FindingCode = (typeof FINDING_CODES)[keyof typeof FINDING_CODES];

interface FindingBase {
  /** the key value the finding is about */
  key: string;
  /** one sentence: what is wrong */
  message: string;
  /** ids of the operations involved */
  ops: number[];
  /** every operation involved sent a request the emulator had no handler for (unhandled.ts) */
  emulatorGap?: boolean;
}

/**
 * An upsert wrote into an entity that belongs to another patient (another key, or the same
 * facility-scoped key at another facility): two patients merged into one, silently.
 */
export interface MergedFinding extends FindingBase {
  code: 'MERGED';
  uid: string;
  /** the key (and facility) the entity carried before the write */
  owner: { key: string; orgUnit?: string };
  /** what the write changed */
  changes: { attribute: string; before: string | null; after: string | null }[];
}

/** More than one live entity carries the key although the run created at least one of them. */
export interface DuplicateFinding extends FindingBase {
  code: 'DUPLICATE';
  /** where it was observed: after the concurrent/faulty phase, or at the very end */
  at: 'after-main' | 'final';
  uids: string[];
  /** which operation created which of the entities (from the journal) */
  createdBy: { uid: string; op: number }[];
}

/** Repeating the upsert did not behave like doing it once. */
export interface NotIdempotentFinding extends FindingBase {
  code: 'NOT_IDEMPOTENT';
  reason: 'different-uids' | 'uid-not-live' | 'repeat-failed';
  uids: string[];
}

/** An update removed or changed an attribute its record did not mention. */
export interface LostAttributeFinding extends FindingBase {
  code: 'LOST_ATTRIBUTE';
  uid: string;
  attribute: string;
  before: string | null;
  after: string | null;
}

/** More than one entity already carried the key, and an operation wrote anyway. */
export interface AmbiguityWriteFinding extends FindingBase {
  code: 'AMBIGUITY_WRITE';
  preexisting: string[];
  writes: { op: number; uid: string; operation: string }[];
}

/** After the faults stopped, upserting the key again did not reach the model's state. */
export interface NotConvergedFinding extends FindingBase {
  code: 'NOT_CONVERGED';
  reason: 'heal-failed' | 'no-entity' | 'values-differ';
  expected: Record<string, string>;
  actual: Record<string, string>[];
  error?: string;
}

/**
 * The key's state is not the result of any order of the operations consistent with real time:
 * its existence, or the value of one attribute (`attribute`), which no valid order produces.
 */
export interface NonLinearizableFinding extends FindingBase {
  code: 'NON_LINEARIZABLE';
  /** the entity as observed (null: no live entity) */
  observed: Record<string, string> | null;
  /** the attribute whose value is unexplained; absent when existence itself is */
  attribute?: string;
  /** values (or, for existence, 'present'/'absent') that some valid order does produce */
  explainable: (string | null)[];
}

/**
 * A batch left another state than the same records upserted one by one, in order (the metamorphic
 * property of bulk upserts).
 */
export interface BatchDivergesFinding extends FindingBase {
  code: 'BATCH_DIVERGES';
  /** live entities carrying the key, and their attributes, after the batch and after one by one */
  batch: Record<string, string>[];
  oneByOne: Record<string, string>[];
}

/** An upsert reported an action (created, updated, unchanged) that the journal says it did not do. */
export interface UntrueActionFinding extends FindingBase {
  code: 'UNTRUE_ACTION';
  reported: 'created' | 'updated' | 'unchanged';
  /** what its requests committed, per the journal */
  committed: { uid: string; operation: string }[];
}

/**
 * One patient ends with two active enrollments in one program, or with more than one enrollment
 * (active or completed) in a program that enrolls only once.
 */
export interface DuplicateEnrollmentFinding extends FindingBase {
  code: 'DUPLICATE_ENROLLMENT';
  trackedEntity: string;
  program: string;
  enrollments: { uid: string; status: string }[];
}

/**
 * One patient ends with more live events in a stage than the distinct visits (source keys) the
 * records asked for there, or with two events of a non-repeatable stage, or with two events
 * carrying one source visit id.
 */
export interface DuplicateEventFinding extends FindingBase {
  code: 'DUPLICATE_EVENT';
  trackedEntity: string;
  programStage: string;
  /** the source keys the operations asked for in this stage */
  keys: string[];
  events: string[];
}

/**
 * A data value the last successful write of a visit set (and no later write of that visit
 * changed) is missing or different at the end.
 */
export interface LostDataValueFinding extends FindingBase {
  code: 'LOST_DATA_VALUE';
  trackedEntity: string;
  programStage: string;
  /** the visit's source key */
  eventKey: string;
  dataElement: string;
  expected: string;
  /** the value of the closest matching event (null: absent; no event at all: `event` absent) */
  actual: string | null;
  event?: string;
}

export type Finding =
  | MergedFinding
  | DuplicateEnrollmentFinding
  | DuplicateEventFinding
  | LostDataValueFinding
  | BatchDivergesFinding
  | UntrueActionFinding
  | DuplicateFinding
  | NotIdempotentFinding
  | LostAttributeFinding
  | AmbiguityWriteFinding
  | NotConvergedFinding
  | NonLinearizableFinding;

/**
 * Most severe first: two patients merged into one is silent and destroys a record; a duplicate is
 * the bug this project exists for; an untrue report of what was done is the mildest.
 */
export const SEVERITY: readonly FindingCode[] = [
  'MERGED',
  'DUPLICATE',
  // a second enrollment or visit double-counts in every DHIS2 indicator, as a duplicate patient does
  'DUPLICATE_ENROLLMENT',
  'DUPLICATE_EVENT',
  'AMBIGUITY_WRITE',
  'LOST_ATTRIBUTE',
  'LOST_DATA_VALUE',
  'NON_LINEARIZABLE',
  'BATCH_DIVERGES',
  'NOT_IDEMPOTENT',
  'NOT_CONVERGED',
  'UNTRUE_ACTION',
];

/** Findings up to this rank (a merged or a duplicate patient, enrollment or visit) end the search at once; lesser ones let it look a little further for one. */
export const GRAVE_SEVERITY = SEVERITY.indexOf('DUPLICATE_EVENT');

/** Rank of the most severe finding (lower is worse); Infinity when there is none. */
export function severityOf(findings: readonly Finding[]): number {
  return Math.min(...findings.map((f) => SEVERITY.indexOf(f.code)), Number.POSITIVE_INFINITY);
}

/** Findings sorted most severe first (stable within a code). */
export function bySeverity<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY.indexOf(a.code) - SEVERITY.indexOf(b.code));
}
