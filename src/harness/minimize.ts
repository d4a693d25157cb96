/**
 * Story minimisation after fast-check's shrinking. fast-check shrinks values well but keeps the
 * scheduler fixed, so a race found with three operations may not shrink to two: the smaller
 * workload needs a different interleaving. Here every smaller story (one operation fewer, two
 * rounds merged into one, one pre-existing entity or fault fewer) is tried with a few
 * interleavings derived from the story itself, greedily, until no smaller story fails. It is
 * deterministic, so the same counterexample always minimises to the same story.
 */
import type { FaultRule, OpSpec, Workload } from './types.js';

function withOps(w: Workload, rounds: OpSpec[][], faults: FaultRule[]): Workload {
  return { ...w, rounds: rounds.filter((r) => r.length > 0), faults };
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
        // emulator faults count requests per route: one operation fewer moves them one earlier
        if (w.serverFaults?.some((f) => f.nth > 1)) {
          out.push({ ...withOps(w, rounds, faults), serverFaults: w.serverFaults.map((f) => ({ ...f, nth: Math.max(1, f.nth - 1) })) });
        }
      });
    });
  }
  // make two consecutive rounds one concurrent round (global order is unchanged)
  for (let r = 0; r + 1 < w.rounds.length; r++) {
    if (w.rounds[r].length + w.rounds[r + 1].length > maxConcurrency) continue;
    const rounds = [...w.rounds.slice(0, r), [...w.rounds[r], ...w.rounds[r + 1]], ...w.rounds.slice(r + 2)];
    out.push(withOps(w, rounds, w.faults));
  }
  w.preexisting.forEach((p, i) => {
    out.push({ ...w, preexisting: w.preexisting.filter((_, j) => j !== i) });
    if (p.copies > 1) out.push({ ...w, preexisting: w.preexisting.map((q, j) => (j === i ? { ...q, copies: q.copies - 1 } : q)) });
  });
  w.faults.forEach((_, i) => out.push({ ...w, faults: w.faults.filter((__, j) => j !== i) }));
  (w.serverFaults ?? []).forEach((f, i) => {
    out.push({ ...w, serverFaults: w.serverFaults!.filter((__, j) => j !== i) });
    if (f.nth > 1) out.push({ ...w, serverFaults: w.serverFaults!.map((g, j) => (j === i ? { ...g, nth: g.nth - 1 } : g)) });
  });
  // simpler records: no optional last name
  if (partialRecords)
    w.rounds.forEach((round, r) =>
    round.forEach((op, i) => {
      if (op.lastName === undefined) return;
      const { lastName: _drop, ...plain } = op;
      out.push({ ...w, rounds: w.rounds.map((rr, j) => (j === r ? rr.map((o, k) => (k === i ? plain : o)) : rr)) });
    }),
  );
  return out;
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
