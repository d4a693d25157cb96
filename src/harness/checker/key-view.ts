/**
 * Slices a history per key, so every property is checked over one key's story: linear in the
 * number of keys, and each counterexample reads as "these operations on this key".
 */
import type { EntitySnapshot, History, HistoryOp } from '../history.js';

export interface KeyView {
  /** the key value as the first operation sent it */
  key: string;
  keyIndex: number;
  main: HistoryOp[];
  heal: HistoryOp[];
  /** live entities carrying the key: before the run, after the main phase, at the end */
  initial: EntitySnapshot[];
  afterMain: EntitySnapshot[];
  final: EntitySnapshot[];
  /** more than one entity carried the key before the run: the upsert must refuse */
  ambiguous: boolean;
  journalAvailable: boolean;
}

export function carriesKey(e: EntitySnapshot, attribute: string, key: string): boolean {
  const v = e.attributes[attribute];
  // DHIS2 matches key values case-insensitively (legacy uniqueness check, EQ filters)
  return !e.deleted && v !== undefined && v.toLowerCase() === key.toLowerCase();
}

export function keyViews(history: History): KeyView[] {
  const byKey = new Map<number, HistoryOp[]>();
  for (const op of history.ops) byKey.set(op.key, [...(byKey.get(op.key) ?? []), op]);
  const views: KeyView[] = [];
  for (const [keyIndex, ops] of [...byKey].sort((a, b) => a[0] - b[0])) {
    const key = ops[0].keyValue;
    const live = (list: EntitySnapshot[]) => list.filter((e) => carriesKey(e, history.keyAttribute, key));
    const initial = live(history.snapshots.initial);
    views.push({
      key,
      keyIndex,
      main: ops.filter((o) => o.phase === 'main'),
      heal: ops.filter((o) => o.phase === 'heal'),
      initial,
      afterMain: live(history.snapshots.afterMain),
      final: live(history.snapshots.final),
      ambiguous: initial.length > 1,
      journalAvailable: history.journalAvailable,
    });
  }
  return views;
}

/** The attributes a record sets, as a map. */
export function recordAttributes(op: HistoryOp): Record<string, string> {
  return Object.fromEntries(op.record.attributes.map((a) => [a.attribute, a.value]));
}

/** The operation met an injected fault: one of the gateway's, or one the emulator journaled. */
export function faulted(op: HistoryOp): boolean {
  return op.requests.some((r) => r.fault !== undefined) || op.journal.some((e) => e.type === 'fault');
}
