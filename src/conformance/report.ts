import pc from 'picocolors';
import { releaseLabel } from './release.js';
import type { CaseResult, RunReport } from './run.js';

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

/** One case as a line (plus indented detail for a failure or the reason of a skip). */
export function formatResult(r: CaseResult, color = false): string {
  const paint = color ? { pass: pc.green, fail: pc.red, skip: pc.dim }[r.status] : (s: string) => s;
  const head = `${paint(LABEL[r.status])}  ${r.id}  ${r.title}`;
  if (!r.detail) return head;
  const indent = r.detail.split('\n').map((l) => `      ${l}`).join('\n');
  return `${head}\n${r.status === 'skip' ? paint(indent) : indent}`;
}

/** The closing lines: notes from discovery, then the counts with the release detected. */
export function formatSummary(report: RunReport): string {
  const lines = report.notes.map((n) => `note: ${n}`);
  const c = report.counts;
  lines.push(`DHIS2 ${releaseLabel(report.release)} (reports "${report.release.reported}") at ${report.url}: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped`);
  return lines.join('\n');
}

/** The report as JSON (for CI artefacts): per case id, status, detail and the source it cites. */
export function reportJson(report: RunReport): string {
  return `${JSON.stringify({ url: report.url, release: report.release, counts: report.counts, notes: report.notes, results: report.results }, null, 2)}\n`;
}
