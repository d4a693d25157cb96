/**
 * The vocabulary of the harness: what a workload is, what an implementation looks like, and the
 * faults the harness aims at single requests of an implementation.
 */
import type { UniquenessMode } from '../../mock-server/index.js';

/** The record shape of interfaces.md ("The record an upsert receives"). */
export interface HarnessRecord {
  trackedEntityType: string;
  orgUnit: string;
  matchAttribute: string;
  attributes: { attribute: string; value: string }[];
  /** issue 17: enrollments and their events (absent: the record is about the entity only) */
  enrollments?: HarnessEnrollment[];
}

export interface HarnessEnrollment {
  program: string;
  orgUnit?: string;
  enrolledAt: string;
  events: HarnessEvent[];
}

/** `key`: the source system's id of the visit, unique per entity and stage. */
export interface HarnessEvent {
  programStage: string;
  key: string;
  occurredAt: string;
  orgUnit?: string;
  /** DHIS2's EventStatus */
  status?: 'ACTIVE' | 'COMPLETED' | 'VISITED' | 'SCHEDULE' | 'OVERDUE' | 'SKIPPED';
  dataValues: { dataElement: string; value: string }[];
}

/** What an implementation receives besides the record (interfaces.md "Harness"). */
export interface UpsertContext {
  baseUrl: string;
  username: string;
  password: string;
  /** aborted when the harness gives up on the operation (its timeout) */
  signal?: AbortSignal;
  /** the emulator's DHIS2 version for this run, e.g. '2.40' */
  dhis2Version?: string;
  /** the simulated job run this operation belongs to; operations of one client run one after another */
  client?: number;
  /** attach an output line to the operation (shown under it in reports) */
  log?: (line: string) => void;
  /**
   * The harness's clock. In scheduled runs time is virtual (the scheduler alone decides the order,
   * so real waiting changes nothing): `sleep` passes at once and advances `now`. An implementation
   * that takes an injectable clock (the robust core does) should wait through it.
   */
  clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

/** Any upsert: resolves on success (ideally with the UID), rejects on failure. */
export type Implementation = (record: HarnessRecord, ctx: UpsertContext) => Promise<unknown>;

/**
 * A bulk upsert: one result per record, in order (a UID, `{ uid, action }`, `{ ok: false, error }`
 * …, as `upsertMany` reports them); rejecting fails every record of the call.
 */
export type BatchImplementation = (records: HarnessRecord[], ctx: UpsertContext) => Promise<unknown[]>;

/**
 * Where implementations come from. `instance(client)` gives each simulated job run its own
 * instance (a freshly evaluated module, say), so module-level caches and in-process
 * single-flight cannot hide a race that two job runs have in production.
 */
export interface ImplementationSource {
  kind: 'single' | 'batch';
  instance(client: number): Implementation | BatchImplementation | Promise<Implementation | BatchImplementation>;
  /** called once when the harness is done with the source (e.g. to stop a process pool) */
  close?(): Promise<void>;
}

/**
 * The key attribute: the demo's unique National ID, its non-unique phone number, or its facility
 * register number (unique within the registration org unit, so one value at two facilities is
 * two patients).
 */
export const KEY_KINDS = ['unique', 'non-unique', 'scoped'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Org units a workload uses: the record's own, a sibling in the same district, another district. */
export const ORG_UNIT_SLOTS = ['home', 'sibling', 'elsewhere'] as const;
export type OrgUnitSlot = (typeof ORG_UNIT_SLOTS)[number];

/** How many spellings a key has (0 = canonical; see `keySpelling`). */
export const KEY_VARIANTS = 3;

/** One upsert call: which key, how it is spelt, by which job run, where, which optional attributes. */
export interface OpSpec {
  key: number;
  /** spelling of the key value: 0 canonical, 1 and 2 variants DHIS2 or the field treat as the same key */
  variant?: number;
  /** the simulated job run (process) that sends it; absent = 0 */
  client?: number;
  orgUnit: OrgUnitSlot;
  /** the mandatory first name; records of a key that already exists may leave it out */
  firstName?: string;
  lastName?: string;
  /** a write by another system (a clerk in the DHIS2 app), not by the implementation */
  other?: boolean;
  /** the `events` workload option: the record also enrolls the patient and records visits */
  enrollment?: EnrollmentSpec;
}

/** Programs of the demo fixture a job workload enrolls in (jobs/catalog.ts). */
export type ProgramSlot = 'child' | 'tb';
/** Stages: Birth (not repeatable) and Baby Postnatal of the Child Programme, TB visit of the TB program. */
export type StageSlot = 'birth' | 'postnatal' | 'tbVisit';

/** One visit of a record: its stage, its source key (`visit-<key+1>`), its day, its data values (data element UID → value). */
export interface EventSpec {
  stage: StageSlot;
  key: number;
  /** day of January 2024 it occurred */
  day: number;
  values: Record<string, string>;
}

export interface EnrollmentSpec {
  program: ProgramSlot;
  events: EventSpec[];
}

/** An entity that exists before the workload runs (`copies` > 1: ambiguous duplicates). */
export interface PreexistingSpec {
  key: number;
  variant?: number;
  orgUnit: OrgUnitSlot;
  copies: number;
  firstName: string;
  lastName?: string;
  /** soft-deleted: it still holds its value (and its UID can never be created again) */
  deleted?: boolean;
  /** it holds the UID the robust core derives for its key (for a deleted one: the UID is burnt) */
  derivedUid?: boolean;
}

/**
 * Faults the harness aims at single requests of an implementation, each injected by the
 * emulator's fault engine (one definition of every fault, mock-server/faults), which journals
 * whether the request had committed. `*-before` faults never run the handler; `*-after` faults let
 * it commit and then lose the answer; `stale` answers a search from the state one commit ago;
 * `duplicate` delivers a write twice, as a retrying proxy would.
 */
export const FAULT_KINDS = ['rate-limit', 'unavailable', 'reset-before', 'error-after', 'drop-after', 'latency', 'stale', 'duplicate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** index of the operation in the main phase (0-based, in round order) */
  op: number;
  /** the n-th (0-based) request of that operation among those the kind applies to (stale: searches; duplicate: writes) */
  request: number;
  kind: FaultKind;
}

/**
 * One generated run. Rounds run one after another; inside a round each client runs its
 * operations one after another while different clients run concurrently. Faults stop with the
 * main phase: a heal phase then upserts each key once more with no faults, where convergence is judged.
 */
export interface Workload {
  dhis2Version: string;
  uniqueness: UniquenessMode;
  keyKind: KeyKind;
  preexisting: PreexistingSpec[];
  rounds: OpSpec[][];
  faults: FaultRule[];
}

export type RunMode = 'scheduled' | 'concurrent';
