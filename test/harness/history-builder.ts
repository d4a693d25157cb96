/** Hand-built histories for the checker tests: one key, operations with explicit intervals. */
import type { EntitySnapshot, History, HistoryOp, Outcome } from '../../src/harness/history.js';

export const KEY_ATTR = 'lZGmxYbs97q';
export const FIRST = 'w75KJ2mc4zz';
export const LAST = 'zDhUuAYrxNC';
export const KEY = 'NID-0';

export interface OpInput {
  id: number;
  phase?: 'main' | 'heal';
  attrs?: Record<string, string>;
  invoke: number;
  complete: number;
  outcome?: Outcome;
  uid?: string;
  commits?: HistoryOp['commits'];
  fault?: boolean;
}

export function op(i: OpInput): HistoryOp {
  const attrs = { [KEY_ATTR]: KEY, [FIRST]: 'Ama', ...i.attrs };
  return {
    id: i.id,
    phase: i.phase ?? 'main',
    round: 0,
    key: 0,
    keyValue: KEY,
    record: { trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', matchAttribute: KEY_ATTR, attributes: Object.entries(attrs).map(([attribute, value]) => ({ attribute, value })) },
    invoke: i.invoke,
    complete: i.complete,
    invokedMs: i.invoke,
    completedMs: i.complete,
    outcome: i.outcome ?? 'ok',
    ...(i.uid ? { uid: i.uid } : {}),
    requests: i.fault ? [{ method: 'POST', path: '/api/trackedEntityInstances', fault: 'drop-after' as const }] : [],
    commits: i.commits ?? [],
    journal: [],
  };
}

export function entity(uid: string, attrs: Record<string, string> = {}, deleted = false): EntitySnapshot {
  return { uid, orgUnit: 'DiszpKrYNg8', deleted, attributes: { [KEY_ATTR]: KEY, [FIRST]: 'Ama', ...attrs } };
}

export function history(ops: HistoryOp[], s: { initial?: EntitySnapshot[]; afterMain?: EntitySnapshot[]; final?: EntitySnapshot[] }, journalAvailable = true): History {
  const afterMain = s.afterMain ?? s.final ?? [];
  return {
    keyKind: 'unique',
    keyAttribute: KEY_ATTR,
    ops,
    events: [],
    interleaving: [],
    snapshots: { initial: s.initial ?? [], afterMain, final: s.final ?? afterMain },
    journalAvailable,
  };
}

export const create = (uid: string, attrs: Record<string, string> = {}) => ({
  uid,
  operation: 'create',
  changes: Object.entries({ [KEY_ATTR]: KEY, [FIRST]: 'Ama', ...attrs }).map(([attribute, after]) => ({ attribute, before: null, after })),
});
