/**
 * The terminal report: one row per (scenario, implementation), then what went wrong and how to
 * replay it. Colour only when asked (a TTY), so CI logs stay plain.
 */
import pc from 'picocolors';
import { EMULATOR_GAP_LABEL, formatUnhandledWarning, mergeUnhandled } from '../unhandled.js';
import type { RunReport, ScenarioResult, Verdict } from './model.js';

export interface TableOptions {
  color?: boolean;
  /** report files written, listed at the end */
  written?: string[];
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

function pad(text: string, width: number, right = false): string {
  const n = [...text].length;
  if (n >= width) return text;
  return right ? ' '.repeat(width - n) + text : text + ' '.repeat(width - n);
}

export function formatTable(report: RunReport, options: TableOptions = {}): string {
  const c = options.color ? pc.createColors(true) : pc.createColors(false);
  const paint: Record<Verdict, (s: string) => string> = { PASS: c.green, XFAIL: c.magenta, 'N/A': c.yellow, FAIL: c.red, XPASS: c.red, ERROR: c.red };
  const head = ['scenario', 'implementation', 'verdict', 'operations', 'requests', 'time'];
  const rows = report.results.map((r) => [r.scenario, r.implementation, r.verdict, String(r.operations), String(r.requests), ms(r.durationMs)]);
  const widths = head.map((h, i) => Math.min(i === 1 ? 48 : 44, Math.max([...h].length, ...rows.map((row) => [...row[i]].length))));
  const clip = (s: string, w: number) => ([...s].length > w ? `${[...s].slice(0, w - 1).join('')}…` : s);
  const line = (cells: string[], style?: (i: number, s: string) => string) =>
    cells.map((cell, i) => {
      const text = pad(clip(cell, widths[i]), widths[i], i >= 3);
      return style ? style(i, text) : text;
    }).join('  ');
  const out: string[] = [c.bold(line(head)), widths.map((w) => '─'.repeat(w)).join('  ')];
  report.results.forEach((r, k) => out.push(line(rows[k], (i, s) => (i === 2 ? paint[r.verdict](s) : s))));
  out.push('');
  const notable = report.results.filter((r) => r.verdict !== 'PASS');
  for (const r of notable) out.push(...describe(r, c, paint));
  const k = report.counts;
  const bad = k.FAIL + k.XPASS + k.ERROR;
  const files = new Set(report.results.map((r) => r.file)).size;
  const verdict = report.ok ? c.green(c.bold('OK')) : c.red(c.bold('FAILED'));
  const na = k['N/A'] ? `, ${k['N/A']} not applicable` : '';
  out.push(`${verdict}: ${files} scenario file(s), ${report.results.length} run(s): ${k.PASS} passed, ${k.XFAIL} failed as in the field (expected)${na}, ${bad} failed${bad ? ` (${k.FAIL} FAIL, ${k.XPASS} XPASS, ${k.ERROR} ERROR)` : ''} in ${ms(report.durationMs)}`);
  for (const f of options.written ?? []) out.push(`report: ${f}`);
  const runsOf = (method: string, path: string) => report.results.filter((r) => r.unhandled?.some((u) => u.method === method && u.path === path)).map((r) => `${r.scenario} × ${r.implementation}`);
  const warning = formatUnhandledWarning(mergeUnhandled(report.results.map((r) => r.unhandled)), {
    color: options.color,
    where: (u) => {
      const runs = runsOf(u.method, u.path);
      return `in ${runs.slice(0, 3).join(', ')}${runs.length > 3 ? ` and ${runs.length - 3} more` : ''}`;
    },
  });
  if (warning.length > 0) out.push('', ...warning);
  return `${out.join('\n')}\n`;
}

function describe(r: ScenarioResult, c: ReturnType<typeof pc.createColors>, paint: Record<Verdict, (s: string) => string>): string[] {
  const summary = r.verdict === 'XFAIL' && r.summary.length > 220 ? `${r.summary.slice(0, 219)}…` : r.summary;
  const lines = [`${paint[r.verdict](r.verdict)} ${c.bold(r.scenario)} × ${r.implementation}: ${summary}`];
  if (r.verdict !== 'XFAIL' && r.verdict !== 'N/A') {
    for (const f of r.findings.slice(0, 5)) lines.push(`    ${c.bold(f.code)}${f.emulatorGap ? ` ${c.yellow(EMULATOR_GAP_LABEL)}` : ''} ${f.message}`);
    if (r.findings.length > 5) lines.push(`    … ${r.findings.length - 5} more finding(s)`);
    lines.push(`    replay: ${r.replay}`);
  }
  lines.push('');
  return lines;
}
