/**
 * What a verification with the `events` option covered of the job dimension: runs with
 * enrollments, by programme, and runs where two job runs wrote one visit (same patient, stage and
 * key) in one round, the shape a duplicate visit or a lost update needs.
 */
import type { Workload } from '../types.js';
import { identityOf } from '../keys.js';

export interface JobCoverage {
  runs: number;
  /** runs by programme enrolled in */
  programs: Record<string, number>;
  /** runs where two job runs wrote one visit in one round */
  contendedVisits: number;
  /** runs with a record carrying two visits */
  twoVisitRecords: number;
}

export function recordJobCoverage(c: { jobs?: JobCoverage }, w: Workload): void {
  const ops = w.rounds.flat().filter((o) => o.enrollment && !o.other);
  if (ops.length === 0) return;
  const j = (c.jobs ??= { runs: 0, programs: {}, contendedVisits: 0, twoVisitRecords: 0 });
  j.runs++;
  for (const p of new Set(ops.map((o) => o.enrollment!.program))) j.programs[p] = (j.programs[p] ?? 0) + 1;
  const visit = (o: (typeof ops)[number]) => o.enrollment!.events.map((e) => `${identityOf(w.keyKind, o)}/${e.stage}/${e.key}`);
  const contended = w.rounds.some((r) => {
    const mine = r.filter((o) => o.enrollment && !o.other);
    return mine.some((a) => mine.some((b) => (a.client ?? 0) !== (b.client ?? 0) && visit(a).some((v) => visit(b).includes(v))));
  });
  if (contended) j.contendedVisits++;
  if (ops.some((o) => o.enrollment!.events.length > 1)) j.twoVisitRecords++;
}

export function formatJobCoverage(j: JobCoverage | undefined): string[] {
  if (!j) return [];
  const programs = Object.entries(j.programs).map(([p, n]) => `${p} ×${n}`).join(', ');
  return [`enrollments and events in ${j.runs} run(s) (${programs}); one visit contended by two job runs in ${j.contendedVisits}; two visits in one record in ${j.twoVisitRecords}`];
}
