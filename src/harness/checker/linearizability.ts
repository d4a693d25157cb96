/**
 * Per-key linearizability of final values. Each operation is an interval [invoke, complete]; a
 * successful one took effect once inside it, a definitely failed one never, an unknown one at most
 * once at any time after its invocation. The observed state must be what some order respecting
 * real time (a completed operation precedes one invoked after it) produces, where upsert(r) makes
 * the key's entity exist and sets r's attributes.
 *
 * Checked per key for existence, and per (key, attribute) for values: DHIS2 writes attribute
 * values row by row with no entity lock or version (spec §6), so two concurrent updates of one
 * entity may interleave per attribute and no client can prevent that; a value that no order of
 * the operations that mention the attribute can produce (a stale write-back, an update silently
 * skipped) can always be prevented, and is a finding. Depth-first search over (operations placed,
 * model state), memoised, as in the Wing–Gong and Lowe checkers.
 */
import type { NonLinearizableFinding } from '../findings.js';
import type { HistoryOp } from '../history.js';
import { externallyAmbiguous, type KeyView } from './key-view.js';

/** More operations than this on one key are not searched (the default workloads stay far below). */
export const MAX_LINEARIZABLE_OPS = 16;

interface Candidate {
  op: HistoryOp;
  /** unknown outcome: may or may not have taken effect */
  optional: boolean;
  /** it did not report success, so its effect may come after its completion */
  late?: boolean;
  /** what it writes (null: no value of this attribute) */
  writes: string | null;
}

/** Values reachable by some valid order (up to `limit`), or a proof that `target` is one. */
export function reachableValues(initial: string | null, cands: Candidate[], target: string | null | undefined, limit = 4): { found: boolean; values: (string | null)[] } {
  const n = cands.length;
  const full = (1 << n) - 1;
  // mustPrecede[b][a]: a returned (with its effect) before b was invoked
  const mustPrecede = cands.map((b) => cands.map((a) => a !== b && !a.optional && !a.late && a.op.complete < b.op.invoke));
  const seen = new Set<string>();
  const values = new Map<string, string | null>();
  const dfs = (mask: number, v: string | null): boolean => {
    if (mask === full) {
      if (target !== undefined && v === target) return true;
      if (values.size < limit) values.set(String(v), v);
      return false;
    }
    const memo = `${mask}|${v}`;
    if (seen.has(memo)) return false;
    seen.add(memo);
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) continue;
      let blocked = false;
      for (let j = 0; j < n && !blocked; j++) if (!(mask & (1 << j)) && mustPrecede[i][j]) blocked = true;
      if (blocked) continue;
      const c = cands[i];
      if (dfs(mask | (1 << i), c.writes ?? v)) return true;
      if (c.optional && dfs(mask | (1 << i), v)) return true;
    }
    return false;
  };
  return { found: dfs(0, initial), values: [...values.values()] };
}

function valueIn(op: HistoryOp, attribute: string, keyAttribute: string): string | null {
  // another system's edit of a registered patient leaves the key as it is
  if (op.actor === 'other' && op.action !== 'created' && attribute === keyAttribute) return null;
  // DHIS2 trims values on import
  return op.record.attributes.find((a) => a.attribute === attribute)?.value.trim() ?? null;
}

function trimmed(attrs: Record<string, string> | null): Record<string, string> | null {
  return attrs && Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v.trim()]));
}

/**
 * How an operation counts: success took effect once inside its interval; a failure the journal
 * confirms (nothing committed) never; anything else at most once, possibly late, unless the
 * journal shows it committed (then it did take effect).
 */
function effectOf(op: HistoryOp): { include: boolean; optional: boolean; late: boolean } {
  if (op.outcome === 'ok') return { include: true, optional: false, late: false };
  if (op.applied === false) return { include: false, optional: false, late: false };
  if (op.applied === true) return { include: true, optional: false, late: true };
  return { include: op.outcome === 'unknown', optional: true, late: true };
}

function checkAt(view: KeyView, phase: 'after-main' | 'final'): NonLinearizableFinding | undefined {
  const live = phase === 'after-main' ? view.afterMain : view.final;
  if (live.length > 1) return undefined; // the duplicate property reports it
  const ops = (phase === 'after-main' ? [...view.main, ...view.others] : [...view.main, ...view.others, ...view.heal]).filter((o) => effectOf(o).include);
  if (ops.length > MAX_LINEARIZABLE_OPS) return undefined;
  const initial = trimmed(view.initial[0]?.attributes ?? null);
  const observed = trimmed(live[0]?.attributes ?? null);
  const when = phase === 'after-main' ? 'After the main phase' : 'At the end';
  const base = { code: 'NON_LINEARIZABLE' as const, key: view.key, observed, ops: ops.map((o) => o.id) };

  // existence: every upsert makes the entity exist
  const existence = reachableValues(initial ? 'present' : 'absent', ops.map((op) => ({ op, ...effectOf(op), writes: 'present' })), observed ? 'present' : 'absent');
  if (!existence.found) {
    return {
      ...base,
      explainable: existence.values,
      message: `${when}, no live entity carries key ${view.key}, although ${ops.filter((o) => o.outcome === 'ok').map((o) => `op${o.id}`).join(', ')} reported success.`,
    };
  }
  if (!observed) return undefined;
  const attributes = new Set([...Object.keys(initial ?? {}), ...Object.keys(observed), ...ops.flatMap((o) => o.record.attributes.map((a) => a.attribute))]);
  for (const attribute of attributes) {
    const cands = ops.map((op) => ({ op, ...effectOf(op), writes: valueIn(op, attribute, view.keyAttribute) })).filter((c) => c.writes !== null);
    const target = observed[attribute] ?? null;
    const r = reachableValues(initial?.[attribute] ?? null, cands, target);
    if (r.found) continue;
    return {
      ...base,
      attribute,
      explainable: r.values,
      message: `${when}, attribute ${attribute} of key ${view.key} is ${JSON.stringify(target)}, which no order of the upserts that set it (${cands.map((c) => `op${c.op.id}`).join(', ') || 'none'}) consistent with real time produces (possible: ${r.values.map((v) => JSON.stringify(v)).join(' or ')}).`,
    };
  }
  return undefined;
}

export function checkLinearizability(view: KeyView): NonLinearizableFinding[] {
  if (view.ambiguous || externallyAmbiguous(view)) return [];
  const f = checkAt(view, 'after-main') ?? checkAt(view, 'final');
  return f ? [f] : [];
}
