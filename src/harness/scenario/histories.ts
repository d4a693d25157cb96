/**
 * From one scenario run to the harness's `History` shape, one history per key space (the key
 * attribute, and the org unit for org-unit-scoped attributes), so the history checker judges a
 * hand-written scenario exactly as it judges a generated workload.
 */
import type { JournalEntry } from '../../../mock-server/index.js';
import type { FaultKind as EmulatorFaultKind } from '../../../mock-server/index.js';
import type { EntitySnapshot, History, HistoryOp } from '../history.js';
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

/**
 * The history checker knows the gateway's fault kinds; the emulator's are richer. An operation
 * counts as faulted when the emulator hurt one of its requests, which is what the mapping keeps.
 */
const AS_GATEWAY_FAULT: Partial<Record<EmulatorFaultKind, FaultKind>> = {
  'error-before-commit': 'unavailable-before',
  'rate-limit': 'unavailable-before',
  'reset-before-commit': 'reset-before',
  'error-after-commit': 'bad-gateway-after',
  'drop-after-commit': 'reset-after',
  'delay-after-commit': 'reset-after',
  'duplicate-delivery': 'bad-gateway-after',
};

/** Attaches journal entries, commits and injected faults to the operations that caused them. */
export function attachJournal(ops: ScenarioOp[], entries: readonly JournalEntry[], opOfRequest: (id: string) => number | undefined): void {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const parent = new Map<string, string>();
  for (const e of entries) if (e.type === 'request' && e.deliveryOf) parent.set(e.requestId, e.deliveryOf);
  for (const e of entries) {
    if (!('requestId' in e) || !e.requestId) continue;
    // a proxy's re-delivery belongs to the client request it copied
    const op = byId.get(opOfRequest(e.requestId) ?? opOfRequest(parent.get(e.requestId) ?? '') ?? -1);
    if (!op) continue;
    op.journal.push(e);
    if (e.type === 'commit') op.commits.push({ uid: e.uid, operation: e.operation, changes: e.changes });
    if (e.type === 'fault') {
      op.faults.push(e.kind);
      const mapped = AS_GATEWAY_FAULT[e.kind as EmulatorFaultKind];
      const trace = op.requests.find((r) => r.requestId === e.requestId);
      if (mapped && trace) trace.fault ??= mapped;
    }
  }
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
    };
  });
}
