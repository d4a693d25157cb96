/**
 * From one scenario run to the harness's `History` shape, one history per key space (the key
 * attribute, and the org unit for org-unit-scoped attributes), so the history checker judges a
 * hand-written scenario exactly as it judges a generated workload.
 */
import type { JournalEntry } from '../../../mock-server/index.js';
import type { FaultKind as EmulatorFaultKind } from '../../../mock-server/index.js';
import { attachJournal as attachToOps, settleOutcomes } from '../attach.js';
import type { EntitySnapshot, History, HistoryOp } from '../history.js';
import type { JobSnapshot } from '../jobs/snapshot.js';
import type { FaultKind } from '../types.js';
import type { OpExpect } from './schema.js';

export interface ScenarioOp extends HistoryOp {
  /** the timeline lane: one per client */
  lane: string;
  label: string;
  /** index of the step in `operations`; -1 for the heal phase */
  step: number;
  recordName: string;
  /** 0 for the first invocation, n for the n-th rerun */
  attempt: number;
  /** id of the chain's first operation (an upsert and its reruns) */
  chain: number;
  expect?: OpExpect;
  /** key space id: `attribute@orgUnit` or `attribute@*` */
  space: string;
  /** fault kinds the emulator injected into this operation's requests */
  faults: string[];
}

export interface Snapshots {
  initial: EntitySnapshot[];
  afterMain: EntitySnapshot[];
  final: EntitySnapshot[];
}

export function spaceOf(matchAttribute: string, scopeOrgUnit: string | undefined): string {
  return `${matchAttribute}@${scopeOrgUnit ?? '*'}`;
}

/** The harness's name for each emulator fault kind (reports and the checker read these). */
const AS_HARNESS_FAULT: Record<EmulatorFaultKind, FaultKind> = {
  latency: 'latency',
  'error-before-commit': 'unavailable',
  'rate-limit': 'rate-limit',
  'reset-before-commit': 'reset-before',
  'error-after-commit': 'error-after',
  'drop-after-commit': 'drop-after',
  'delay-after-commit': 'drop-after',
  'stale-search': 'stale',
  'duplicate-delivery': 'duplicate',
};

/**
 * Attaches journal entries, commits and injected faults to the operations that caused them, and
 * settles what each failed operation's error means from what its requests committed.
 */
export function attachJournal(ops: ScenarioOp[], entries: readonly JournalEntry[], callOfRequest: (id: string) => number | undefined, entities: readonly EntitySnapshot[]): void {
  attachToOps(ops, entries, { callOfRequest, keyAttribute: '', entities });
  for (const op of ops) {
    for (const e of op.journal) {
      if (e.type !== 'fault') continue;
      op.faults.push(e.kind);
      const trace = op.requests.find((r) => r.requestId === e.requestId);
      if (trace) trace.fault ??= AS_HARNESS_FAULT[e.kind as EmulatorFaultKind];
    }
  }
  settleOutcomes(ops);
}

export interface SpaceInfo {
  keyAttribute: string;
  unique: boolean;
  scopeOrgUnit?: string;
}

export function buildHistories(
  ops: ScenarioOp[],
  events: History['events'],
  spaces: Map<string, SpaceInfo>,
  snapshots: Snapshots,
  interleaving: string[],
  jobs?: JobSnapshot,
): History[] {
  return [...spaces].map(([space, info]) => {
    const mine = ops.filter((o) => o.space === space);
    const ids = new Set(mine.map((o) => o.id));
    const inScope = (list: EntitySnapshot[]) => (info.scopeOrgUnit ? list.filter((e) => e.orgUnit === info.scopeOrgUnit) : list);
    return {
      keyKind: info.unique ? 'unique' : 'non-unique',
      keyAttribute: info.keyAttribute,
      ops: mine,
      events: events.filter((e) => ids.has(e.op)),
      interleaving,
      snapshots: { initial: inScope(snapshots.initial), afterMain: inScope(snapshots.afterMain), final: inScope(snapshots.final) },
      journalAvailable: true,
      ...(jobs ? { jobs } : {}),
    };
  });
}
