/**
 * Slices a history per key (per patient: the key value, and for org-unit-scoped keys the
 * facility), so every property is checked over one key's story: linear in the number of keys, and
 * each counterexample reads as "these operations on this key". Writes by another system are part
 * of the story (they change what a correct upsert must see) but are never the implementation's fault.
 */
import type { EntitySnapshot, History, HistoryOp } from '../history.js';
import type { JobSnapshot } from '../jobs/snapshot.js';

export interface KeyView {
  /** the key value as the first operation sent it */
  key: string;
  keyIndex: number;
  /** org-unit-scoped key: only entities registered here carry it */
  scope?: string;
  /** the implementation's main-phase operations */
  main: HistoryOp[];
  /** another system's writes of this key (not the implementation's) */
  others: HistoryOp[];
  heal: HistoryOp[];
  /** live entities carrying the key: before the run, after the main phase, at the end */
  initial: EntitySnapshot[];
  afterMain: EntitySnapshot[];
  final: EntitySnapshot[];
  /** more than one entity carried the key before the run: the upsert must refuse */
  ambiguous: boolean;
  journalAvailable: boolean;
  keyAttribute: string;
  /** whole-history facts: every entity before the run, and which operation created each entity */
  world: World;
  /** enrollments and events at the end (only when the records carried enrollments) */
  jobs?: JobSnapshot;
}

export interface World {
  initial: EntitySnapshot[];
  creators: Map<string, HistoryOp>;
}

/** Two spellings of one key: DHIS2 trims values and matches keys case-insensitively (legacy uniqueness, EQ filters). */
export function sameKey(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function carriesKey(e: EntitySnapshot, attribute: string, key: string, scope?: string): boolean {
  const v = e.attributes[attribute];
  return !e.deleted && v !== undefined && sameKey(v, key) && (scope === undefined || e.orgUnit === scope);
}

export function worldOf(history: History): World {
  const creators = new Map<string, HistoryOp>();
  for (const op of history.ops) for (const c of op.commits) if (c.operation === 'create' && !creators.has(c.uid)) creators.set(c.uid, op);
  return { initial: history.snapshots.initial, creators };
}

export function keyViews(history: History): KeyView[] {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history.ops) {
    const id = op.keyId ?? String(op.key);
    byKey.set(id, [...(byKey.get(id) ?? []), op]);
  }
  const world = worldOf(history);
  const views: KeyView[] = [];
  for (const ops of [...byKey.values()].sort((a, b) => a[0].key - b[0].key || (a[0].keyId ?? '').localeCompare(b[0].keyId ?? ''))) {
    const key = ops[0].keyValue;
    const scope = ops[0].keyScope;
    const live = (list: EntitySnapshot[]) => list.filter((e) => carriesKey(e, history.keyAttribute, key, scope));
    const initial = live(history.snapshots.initial);
    const mine = ops.filter((o) => o.actor !== 'other');
    views.push({
      key,
      keyIndex: ops[0].key,
      ...(scope !== undefined ? { scope } : {}),
      main: mine.filter((o) => o.phase === 'main'),
      others: ops.filter((o) => o.actor === 'other'),
      heal: mine.filter((o) => o.phase === 'heal'),
      initial,
      afterMain: live(history.snapshots.afterMain),
      final: live(history.snapshots.final),
      ambiguous: initial.length > 1,
      journalAvailable: history.journalAvailable,
      keyAttribute: history.keyAttribute,
      world,
      ...(history.jobs ? { jobs: history.jobs } : {}),
    });
  }
  return views;
}

/** The attributes a record sets, as a map. */
export function recordAttributes(op: HistoryOp): Record<string, string> {
  return Object.fromEntries(op.record.attributes.map((a) => [a.attribute, a.value]));
}

/** The operation met an injected fault (a delay aside): one the harness aimed at it, or one the emulator journaled. */
export function faulted(op: HistoryOp): boolean {
  return op.requests.some((r) => r.fault !== undefined && r.fault !== 'latency') || op.journal.some((e) => e.type === 'fault' && e.kind !== 'latency');
}

/** "after the main phase" / "at the end", as findings say where a state was observed. */
export function whenOf(at: 'after-main' | 'final'): string {
  return at === 'after-main' ? 'after the main phase' : 'at the end';
}

/**
 * Another system registered the patient a second time while the implementation ran: the key is
 * ambiguous through no fault of the implementation, so a correct upsert refuses from then on and
 * only the duplicate property (which weighs who created what, and when) still applies.
 */
export function externallyAmbiguous(view: KeyView): boolean {
  const otherCreated = (uid: string) => {
    const c = view.world.creators.get(uid);
    return c !== undefined && c.actor === 'other';
  };
  return [view.afterMain, view.final].some((live) => live.length > 1 && live.some((e) => otherCreated(e.uid)));
}
