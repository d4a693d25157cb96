/**
 * `--json FILE`: the run as data. Operations carry their requests, commits and faults; the full
 * journal stays out (the HTML report and a replay show it), so the file stays small enough to diff.
 */
import type { RunReport, ScenarioResult } from './model.js';

export const JSON_REPORT_FORMAT = 'dhis2-harness/run-report@1';

function opsOf(r: ScenarioResult) {
  return (r.run?.ops ?? []).map((o) => ({
    id: o.id,
    client: o.lane,
    label: o.label,
    record: o.recordName,
    phase: o.phase,
    step: o.step,
    attempt: o.attempt,
    key: o.keyValue,
    outcome: o.outcome,
    ...(o.uid ? { uid: o.uid } : {}),
    ...(o.error ? { error: o.error } : {}),
    invokedMs: o.invokedMs,
    completedMs: Number.isFinite(o.completedMs) ? o.completedMs : null,
    requests: o.requests.map((q) => ({ method: q.method, path: q.path, status: q.status ?? null, ...(q.fault ? { fault: q.fault } : {}) })),
    commits: o.commits,
    faults: o.faults,
    ...(o.logs ? { logs: o.logs } : {}),
  }));
}

export function toJsonReport(report: RunReport): unknown {
  return {
    format: JSON_REPORT_FORMAT,
    tool: report.tool,
    version: report.version,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    ok: report.ok,
    counts: report.counts,
    results: report.results.map((r) => {
      const { run, ...rest } = r;
      return { ...rest, ...(run ? { stalls: run.stalls, interleaving: run.interleaving, operationsLog: opsOf(r) } : {}) };
    }),
  };
}

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
