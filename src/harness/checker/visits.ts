/**
 * What the operations of one key asked for in enrollments and events (issue 17): the visits per
 * stage, by source key, and which operation wrote which data value. The job checks judge the end
 * state by this, never by how an implementation stores a key (a data value, a derived UID…).
 */
import type { HistoryOp } from '../history.js';

export interface VisitWrite {
  op: HistoryOp;
  occurredAt: string;
  dataValues: Record<string, string>;
}

/** stage → source key → the writes of that visit, in op order. */
export type Visits = Map<string, Map<string, VisitWrite[]>>;

export function visitsOf(ops: readonly HistoryOp[]): Visits {
  const out: Visits = new Map();
  for (const op of ops) {
    for (const en of op.record.enrollments ?? []) {
      for (const ev of en.events) {
        const byKey = out.get(ev.programStage) ?? new Map<string, VisitWrite[]>();
        out.set(ev.programStage, byKey);
        const writes = byKey.get(ev.key) ?? [];
        byKey.set(ev.key, writes);
        writes.push({ op, occurredAt: ev.occurredAt, dataValues: Object.fromEntries(ev.dataValues.map((d) => [d.dataElement, d.value])) });
      }
    }
  }
  return out;
}

/** Programs the operations enrolled the patient in. */
export function programsOf(ops: readonly HistoryOp[]): Set<string> {
  return new Set(ops.flatMap((op) => (op.record.enrollments ?? []).map((e) => e.program)));
}

/**
 * The value a data element must have at the end: the one of a successful write that every other
 * write setting it differently definitely preceded (completed before it was invoked) or definitely
 * never applied. Undefined when concurrent writes leave either value correct.
 */
export function expectedValue(writes: readonly VisitWrite[], dataElement: string): { value: string; op: HistoryOp } | undefined {
  const setting = writes.filter((w) => w.dataValues[dataElement] !== undefined && w.op.outcome !== 'fail');
  for (const p of [...setting].reverse()) {
    if (p.op.outcome !== 'ok') continue;
    const value = p.dataValues[dataElement];
    const settled = setting.every((q) => q === p || q.dataValues[dataElement] === value || q.op.complete < p.op.invoke);
    if (settled) return { value, op: p.op };
  }
  return undefined;
}
