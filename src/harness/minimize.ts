/**
 * Story minimisation after fast-check's shrinking. fast-check shrinks values well but keeps the
 * scheduler fixed, so a race found with three operations may not shrink to two: the smaller
 * workload needs a different interleaving. Here every smaller story (one operation fewer, two
 * rounds merged, one job run fewer, one pre-existing entity or fault fewer, a plainer record) is
 * tried with a few interleavings derived from the story itself, greedily, until no smaller story
 * fails. It is deterministic, so the same counterexample always minimises to the same story.
 */
import type { FaultRule, OpSpec, Workload } from './types.js';
import { normalizeWorkload } from './workload.js';

function withOps(w: Workload, rounds: OpSpec[][], faults: FaultRule[]): Workload {
  return { ...w, rounds: rounds.filter((r) => r.length > 0), faults };
}

function mapOp(w: Workload, r: number, i: number, f: (op: OpSpec) => OpSpec): Workload {
  return { ...w, rounds: w.rounds.map((rr, j) => (j === r ? rr.map((o, k) => (k === i ? f(o) : o)) : rr)) };
}

function without<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const { [key]: _drop, ...rest } = o;
  return rest;
}

/** Smaller stories, simplest reductions first. */
export function smallerStories(w: Workload, maxConcurrency = Number.POSITIVE_INFINITY, partialRecords = true): Workload[] {
  const out: Workload[] = [];
  const total = w.rounds.reduce((n, r) => n + r.length, 0);
  // drop one operation (fault rules follow the global operation numbering)
  if (total > 1) {
    let index = 0;
    w.rounds.forEach((round, r) => {
      round.forEach((_, i) => {
        const dropped = index++;
        const rounds = w.rounds.map((rr, j) => (j === r ? rr.filter((__, k) => k !== i) : rr));
        const faults = w.faults.filter((f) => f.op !== dropped).map((f) => (f.op > dropped ? { ...f, op: f.op - 1 } : f));
        out.push(withOps(w, rounds, faults));
      });
    });
  }
  // make two consecutive rounds one round (global order is unchanged)
  for (let r = 0; r + 1 < w.rounds.length; r++) {
    const lanes = new Set([...w.rounds[r], ...w.rounds[r + 1]].map((o) => (o.other ? -1 : (o.client ?? 0))));
    if (lanes.size > maxConcurrency) continue;
    out.push(withOps(w, [...w.rounds.slice(0, r), [...w.rounds[r], ...w.rounds[r + 1]], ...w.rounds.slice(r + 2)], w.faults));
  }
  // one job run fewer: a client's operations move to the next lower client
  const clients = [...new Set(w.rounds.flat().filter((o) => !o.other).map((o) => o.client ?? 0))].sort((a, b) => a - b);
  for (let i = clients.length - 1; i >= 1; i--) {
    const [from, to] = [clients[i], clients[i - 1]];
    out.push({ ...w, rounds: w.rounds.map((rr) => rr.map((o) => (!o.other && (o.client ?? 0) === from ? { ...o, client: to || undefined } : o)).map((o) => (o.client === undefined ? without(o, 'client') : o))) });
  }
  w.preexisting.forEach((p, i) => {
    out.push({ ...w, preexisting: w.preexisting.filter((_, j) => j !== i) });
    if (p.copies > 1) out.push({ ...w, preexisting: w.preexisting.map((q, j) => (j === i ? { ...q, copies: q.copies - 1 } : q)) });
    if (p.derivedUid) out.push({ ...w, preexisting: w.preexisting.map((q, j) => (j === i ? without(q, 'derivedUid') : q)) });
  });
  w.faults.forEach((_, i) => out.push({ ...w, faults: w.faults.filter((__, j) => j !== i) }));
  // plainer records: the canonical spelling, the home facility, no optional last name
  w.rounds.forEach((round, r) =>
    round.forEach((op, i) => {
      if (op.variant) out.push(mapOp(w, r, i, (o) => without(o, 'variant')));
      if (op.orgUnit !== 'home') out.push(mapOp(w, r, i, (o) => ({ ...o, orgUnit: 'home' })));
      if (partialRecords && op.lastName !== undefined) out.push(mapOp(w, r, i, (o) => without(o, 'lastName')));
      // a job record with one visit fewer (the events option)
      const events = op.enrollment?.events ?? [];
      if (events.length > 1) events.forEach((_, k) => out.push(mapOp(w, r, i, (o) => ({ ...o, enrollment: { ...o.enrollment!, events: events.filter((__, j) => j !== k) } }))));
    }),
  );
  return out.map(normalizeWorkload);
}

/**
 * Greedy minimisation: `fails(candidate)` runs a candidate (with its own interleavings) and says
 * whether it still violates a property. Bounded by `maxAttempts` candidate evaluations.
 */
export async function minimizeStory(
  w: Workload,
  fails: (candidate: Workload) => Promise<boolean>,
  options: { maxAttempts?: number; maxConcurrency?: number; partialRecords?: boolean } = {},
): Promise<{ workload: Workload; attempts: number }> {
  const maxAttempts = options.maxAttempts ?? 60;
  let current = w;
  let attempts = 0;
  for (let improved = true; improved && attempts < maxAttempts; ) {
    improved = false;
    for (const candidate of smallerStories(current, options.maxConcurrency, options.partialRecords)) {
      if (attempts++ >= maxAttempts) break;
      if (await fails(candidate)) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return { workload: current, attempts };
}
