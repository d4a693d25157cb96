/**
 * The vocabulary of the harness: what a workload is, what an implementation looks like, and the
 * fault plans the harness injects between the implementation and the emulator.
 */
import type { UniquenessMode } from '../../mock-server/index.js';

/** The record shape of interfaces.md ("The record an upsert receives"). */
export interface HarnessRecord {
  trackedEntityType: string;
  orgUnit: string;
  matchAttribute: string;
  attributes: { attribute: string; value: string }[];
}

/** What an implementation receives besides the record (interfaces.md "Harness"). */
export interface UpsertContext {
  baseUrl: string;
  username: string;
  password: string;
  /** aborted when the harness gives up on the operation (its timeout) */
  signal?: AbortSignal;
  /** the DHIS2 version the emulator plays, e.g. '2.40' (absent when the harness does not know it) */
  dhis2Version?: string;
  /**
   * The simulated job run this operation belongs to: operations of one client run one after
   * another, those of different clients may run at the same time.
   */
  client?: number;
  /** attaches an output line to this operation (shown under it in reports; bounded) */
  log?: (line: string) => void;
}

/** Any upsert: resolves on success (ideally with the UID), rejects on failure. */
export type Implementation = (record: HarnessRecord, ctx: UpsertContext) => Promise<unknown>;

/** The key attribute: the demo's unique National ID, or its non-unique phone number. */
export type KeyKind = 'unique' | 'non-unique';

/** Org units a workload uses: the record's own, a sibling in the same district, another district. */
export const ORG_UNIT_SLOTS = ['home', 'sibling', 'elsewhere'] as const;
export type OrgUnitSlot = (typeof ORG_UNIT_SLOTS)[number];

/** One upsert call: which key, where, and which optional attributes it carries. */
export interface OpSpec {
  key: number;
  orgUnit: OrgUnitSlot;
  /** value of the (always sent, mandatory) first name */
  firstName: string;
  lastName?: string;
}

/** An entity that exists before the workload runs (`copies` > 1: ambiguous duplicates). */
export interface PreexistingSpec {
  key: number;
  orgUnit: OrgUnitSlot;
  copies: number;
  firstName: string;
  lastName?: string;
}

/**
 * Faults the harness injects in its gateway, i.e. between the implementation and the server, like
 * a proxy or a flaky network would. `*-before` faults never reach the server (nothing happened);
 * `*-after` faults let the server commit and then lose the answer (it did happen, the client
 * cannot know).
 */
export const FAULT_KINDS = ['unavailable-before', 'reset-before', 'bad-gateway-after', 'reset-after'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** index of the operation in the main phase (0-based, in round order) */
  op: number;
  /** the n-th HTTP request of that operation (0-based) */
  request: number;
  kind: FaultKind;
}

/**
 * Faults the emulator itself injects (its fault plan, mock-server/faults): the ones a proxy in
 * front of DHIS2 cannot fake. `stale-search` answers the n-th search from the state one commit
 * ago (a lagging replica); `duplicate-delivery` hands the n-th write to DHIS2 twice (a retrying
 * proxy). `nth` counts requests per route, from 1.
 */
export const SERVER_FAULT_KINDS = ['stale-search', 'duplicate-delivery'] as const;
export interface ServerFaultRule {
  kind: (typeof SERVER_FAULT_KINDS)[number];
  nth: number;
}

/**
 * One generated run. Rounds run one after another; the operations inside a round run
 * concurrently. The faults stop with the main phase: a heal phase then upserts each key once more
 * with no faults, which is where convergence is judged.
 */
export interface Workload {
  dhis2Version: string;
  uniqueness: UniquenessMode;
  keyKind: KeyKind;
  preexisting: PreexistingSpec[];
  rounds: OpSpec[][];
  faults: FaultRule[];
  /** emulator-side faults; absent in replay files written before they existed */
  serverFaults?: ServerFaultRule[];
}

export type RunMode = 'scheduled' | 'concurrent';
