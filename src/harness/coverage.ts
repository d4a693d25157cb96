/**
 * How much of the search space a verification covered: per dimension, how many runs exercised
 * each value (versions, uniqueness modes, key kinds, job runs at once, key spellings, pre-existing
 * kinds, other writers, batch sizes) and which fault kinds landed on which kind of request. A pass
 * is worth what this covers.
 */
import { requestClassOf, type RequestClass } from './faults.js';
import { formatJobCoverage, recordJobCoverage, type JobCoverage } from './jobs/coverage.js';
import type { History } from './history.js';
import { flattenOps } from './workload.js';
import type { Workload } from './types.js';

export interface Coverage {
  runs: number;
  versions: Record<string, number>;
  uniqueness: Record<string, number>;
  keyKinds: Record<string, number>;
  /** runs by the number of job runs (clients) that upserted */
  clients: Record<string, number>;
  /** runs where two job runs upserted the same key in the same round */
  contendedKeys: number;
  /** runs where one key was sent in two spellings */
  keySpellings: number;
  /** runs with pre-existing entities of each kind */
  preexisting: { live: number; ambiguous: number; softDeleted: number; derivedUid: number };
  /** runs where another system wrote during the run */
  otherWriters: number;
  /** batch calls by size (batch implementations) */
  batchSizes: Record<string, number>;
  /** injected faults: kind → request class → count */
  faults: Record<string, Partial<Record<RequestClass, number>>>;
  /** the `events` option: runs with enrollments and events (absent without it) */
  jobs?: JobCoverage;
}

export function emptyCoverage(): Coverage {
  return { runs: 0, versions: {}, uniqueness: {}, keyKinds: {}, clients: {}, contendedKeys: 0, keySpellings: 0, preexisting: { live: 0, ambiguous: 0, softDeleted: 0, derivedUid: 0 }, otherWriters: 0, batchSizes: {}, faults: {} };
}

const bump = (m: Record<string, number>, k: string | number) => (m[String(k)] = (m[String(k)] ?? 0) + 1);

export function recordCoverage(c: Coverage, w: Workload, history: History, batch = false): void {
  c.runs++;
  bump(c.versions, w.dhis2Version);
  bump(c.uniqueness, w.uniqueness);
  bump(c.keyKinds, w.keyKind);
  const mine = flattenOps(w).filter((o) => !o.spec.other);
  bump(c.clients, new Set(mine.map((o) => o.spec.client ?? 0)).size);
  if (w.rounds.some((r) => r.some((a) => !a.other && r.some((b) => b !== a && !b.other && b.key === a.key && (b.client ?? 0) !== (a.client ?? 0))))) c.contendedKeys++;
  const spellings = new Map<number, Set<number>>();
  for (const o of mine) spellings.set(o.spec.key, (spellings.get(o.spec.key) ?? new Set()).add(o.spec.variant ?? 0));
  if ([...spellings.values()].some((s) => s.size > 1)) c.keySpellings++;
  if (w.preexisting.some((p) => !p.deleted)) c.preexisting.live++;
  if (w.preexisting.some((p) => !p.deleted && p.copies > 1)) c.preexisting.ambiguous++;
  if (w.preexisting.some((p) => p.deleted)) c.preexisting.softDeleted++;
  if (w.preexisting.some((p) => p.derivedUid)) c.preexisting.derivedUid++;
  if (mine.length < flattenOps(w).length) c.otherWriters++;
  recordJobCoverage(c, w);
  const calls = new Map<number, number>();
  for (const op of history.ops) if (op.actor !== 'other') calls.set(op.call ?? op.id, (calls.get(op.call ?? op.id) ?? 0) + 1);
  if (batch) for (const n of calls.values()) bump(c.batchSizes, n);
  const seen = new Set<unknown>();
  for (const op of history.ops) {
    for (const r of op.requests) {
      if (!r.fault || seen.has(r)) continue;
      seen.add(r);
      const byClass = (c.faults[r.fault] ??= {});
      const cls = requestClassOf(r.method, r.path);
      byClass[cls] = (byClass[cls] ?? 0) + 1;
    }
  }
}

function dist(m: Record<string, number>): string {
  return Object.entries(m)
    .sort((a, b) => a[0].localeCompare(b[0], undefined, { numeric: true }))
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
}

/** A few lines for the text report. */
export function formatCoverage(c: Coverage): string[] {
  const lines = [
    `versions: ${dist(c.versions)}`,
    `uniqueness: ${dist(c.uniqueness)}; key kinds: ${dist(c.keyKinds)}`,
    `job runs per story: ${dist(c.clients)}; one key contended by two job runs in ${c.contendedKeys} run(s); two spellings of one key in ${c.keySpellings}`,
    `pre-existing: live in ${c.preexisting.live}, ambiguous in ${c.preexisting.ambiguous}, soft-deleted in ${c.preexisting.softDeleted}, holding the derived UID in ${c.preexisting.derivedUid}; another system writing in ${c.otherWriters}`,
  ];
  if (Object.keys(c.batchSizes).length > 0) lines.push(`batch calls by size: ${dist(c.batchSizes)}`);
  lines.push(...formatJobCoverage(c.jobs));
  const faults = Object.entries(c.faults).map(([kind, byClass]) => `${kind} on ${dist(byClass as Record<string, number>)}`);
  lines.push(`faults injected: ${faults.length > 0 ? faults.join('; ') : 'none'}`);
  return lines;
}
