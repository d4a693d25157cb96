/**
 * The human verdict of a verification: what failed, the smallest story that shows it (operations
 * with their real-time bounds and outcomes, the interleaving, the fault plan, the journal slice
 * of the key) and how to replay it.
 */
import pc from 'picocolors';
import { DEMO_IDS } from '../../mock-server/index.js';
import { formatCoverage } from './coverage.js';
import { EMULATOR_GAP_LABEL, formatUnhandledWarning } from './unhandled.js';
import type { HistoryOp } from './history.js';
import type { VerifyReport } from './verify.js';

const ATTRIBUTE_NAMES = new Map<string, string>(Object.entries(DEMO_IDS.attributes).map(([name, uid]) => [uid, name]));

export function attributeName(uid: string): string {
  return ATTRIBUTE_NAMES.get(uid) ?? uid;
}

function aliasUids(text: string): string {
  let out = text;
  for (const [uid, name] of ATTRIBUTE_NAMES) out = out.split(uid).join(name);
  return out;
}

/** The longest start (at least 24 characters) of `quote` that `text` contains: messages get cut. */
function quotedPart(text: string, quote: string): string | undefined {
  const q = quote.replace(/\s+/g, ' ').trim();
  for (let n = q.length; n >= 24; n--) if (text.includes(q.slice(0, n))) return q.slice(0, n);
  return undefined;
}

/**
 * Replaces the demo's attribute UIDs with their names, for reading, but never inside what someone
 * else said: text in quotes, and the `verbatim` messages (DHIS2's and the implementation's errors)
 * stay as they were, so "for attribute lZGmxYbs97q" is still what the server answered.
 */
export function readable(text: string, verbatim: readonly string[] = []): string {
  const spans: [number, number][] = [];
  for (const quote of verbatim) {
    const part = quote ? quotedPart(text, quote) : undefined;
    if (!part) continue;
    for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) spans.push([at, at + part.length]);
  }
  for (const m of text.matchAll(/"[^"]*"|“[^”]*”/g)) spans.push([m.index, m.index + m[0].length]);
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    out += aliasUids(text.slice(at, from)) + text.slice(from, end);
    at = end;
  }
  return out + aliasUids(text.slice(at));
}

function recordText(op: HistoryOp): string {
  const attributes = op.record.attributes.map((a) => `${attributeName(a.attribute)}=${a.value}`).join(' ');
  // a job record: its enrollments and visits, as the story needs them (program, stage, key, day, values)
  const jobs = (op.record.enrollments ?? []).map(
    (en) => ` + ${en.program}[${en.events.map((ev) => `${ev.programStage}/${ev.key}@${ev.occurredAt} ${ev.dataValues.map((d) => `${d.dataElement}=${d.value}`).join(',')}`).join('; ')}]`,
  );
  return attributes + jobs.join('');
}

function outcomeText(op: HistoryOp, c: (s: string) => string): string {
  if (op.outcome === 'ok') return c(`ok${op.uid ? ` → ${op.uid}` : ''}${op.action ? ` (${op.action})` : ''}`);
  const message = op.error?.message.replace(/\s+/g, ' ') ?? '';
  const err = op.error ? `: ${op.error.code ? op.error.code + ' ' : ''}${message.length > 300 ? `${message.slice(0, 299)}…` : message}` : '';
  return c(`${op.outcome}${err}`);
}

/** Lines shown under an operation in the text report; the JSON report keeps all of `op.logs`. */
export const LOG_LINES_SHOWN = 15;

/** The operation's own output (`ctx.log`: adaptor console, script stderr), last lines first cut. */
export function logLines(op: Pick<HistoryOp, 'logs'>, dim: (s: string) => string = (s) => s, indent = '        '): string[] {
  let logs = op.logs ?? [];
  if (logs.length === 0) return [];
  // the log's own "… N earlier line(s) dropped" note counts with the lines hidden here
  const note = /^… (\d+) earlier line\(s\) dropped$/.exec(logs[0]);
  if (note) logs = logs.slice(1);
  const shown = logs.slice(-LOG_LINES_SHOWN);
  const hidden = logs.length - shown.length;
  const dropped = note ? Number(note[1]) : 0;
  const head = hidden + dropped > 0 ? [dim(`${indent}│ … ${hidden + dropped} earlier line(s)${hidden > 0 ? ` (${hidden} in --json)` : ''}`)] : [];
  return [...head, ...shown.map((l) => dim(`${indent}│ ${l}`))];
}

export interface FormatOptions {
  color?: boolean;
  /** file the counterexample was saved to, if any */
  savedTo?: string;
}

export function formatReport(report: VerifyReport, options: FormatOptions = {}): string {
  const p = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  const speed = `${report.runs} run(s) in ${(report.durationMs / 1000).toFixed(1)} s, ${report.runsPerSecond.toFixed(1)} runs/s`;
  const notApplicable = report.notApplicable.map((n) => p.yellow(`  not applicable: DHIS2 ${n.version}: ${n.reason}`));
  if (report.ok) {
    lines.push(p.green(`✔ PASS: no finding in ${speed} (seed ${report.seed})${report.cutShort === 'search' ? ' — the time limit came before the run target' : ''}`));
    lines.push(...notApplicable);
    lines.push(p.bold('Covered') + ` (${report.coverage.runs} run(s))`);
    for (const line of formatCoverage(report.coverage)) lines.push(`  ${line}`);
    lines.push(...formatUnhandledWarning(report.unhandled ?? [], { color: options.color }));
    return lines.join('\n') + '\n';
  }
  const c = report.counterexample!;
  const codes = [...new Set(c.findings.map((f) => f.code))].join(', ');
  lines.push(p.red(p.bold(`✘ FAIL: ${codes}`)) + ` after ${speed} (seed ${report.seed}${report.path ? `, path ${report.path}` : ''})`);
  lines.push(...notApplicable);
  lines.push('');
  lines.push(p.bold(`Smallest counterexample (${c.phase} run): ${c.description}`));
  lines.push(`  DHIS2 ${c.workload.dhis2Version}, uniqueness '${c.workload.uniqueness}', key attribute ${attributeName(c.history.keyAttribute)} (${c.workload.keyKind})`);
  for (const pre of c.history.snapshots.initial.filter((e) => !e.deleted)) {
    lines.push(`  pre-existing ${pre.uid} at ${pre.orgUnit}: ${Object.entries(pre.attributes).map(([a, v]) => `${attributeName(a)}=${v}`).join(' ')}`);
  }
  lines.push('');
  lines.push(p.bold('Operations') + ' (t = logical clock: invoke → complete)');
  for (const op of c.history.ops) {
    const color = op.outcome === 'ok' ? p.green : op.outcome === 'fail' ? p.red : p.yellow;
    const who = op.actor === 'other' ? 'other system' : `job run ${op.client ?? 0}`;
    lines.push(`  op${op.id}  ${op.phase === 'heal' ? 'heal   ' : `round ${op.round}`}  ${who}  t${op.invoke}→t${op.complete}  ${recordText(op)} @${op.record.orgUnit}`);
    lines.push(`        ${outcomeText(op, color)}`);
    lines.push(...logLines(op, p.dim));
  }
  if (c.interleaving.length > 0) {
    lines.push('');
    lines.push(p.bold('Interleaving') + ' (order in which the scheduler let requests and commit windows proceed)');
    c.interleaving.forEach((step, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${step}`));
  }
  lines.push('');
  lines.push(p.bold('Faults') + (c.faults.length === 0 ? ': none' : ' (main phase only; the heal phase runs without faults)'));
  for (const f of c.faults) {
    const which = f.kind === 'stale' ? 'search' : f.kind === 'duplicate' ? 'write' : 'request';
    lines.push(`  op${f.op}, ${which} #${f.request + 1}: ${f.kind}`);
  }
  lines.push('');
  lines.push(p.bold('Findings'));
  const verbatim = c.history.ops.flatMap((op) => (op.error ? [op.error.message] : []));
  for (const f of c.findings) lines.push(`  ${p.red(`[${f.code}]`)}${f.emulatorGap ? ` ${EMULATOR_GAP_LABEL}` : ''} ${readable(f.message, verbatim)}`);
  lines.push('');
  lines.push(p.bold('Journal') + ' (the emulator\'s record of each operation\'s requests and commits)');
  // one timeline across operations, in the emulator's order: that is the story
  // a batch call's entries belong to all its records: show each entry once, under the call's ops
  const bySeq = new Map<number, { op: string; e: (typeof c.history.ops)[number]['journal'][number] }>();
  for (const o of c.history.ops) {
    const call = c.history.ops.filter((x) => (x.call ?? x.id) === (o.call ?? o.id)).map((x) => `op${x.id}`).join('+');
    for (const e of o.journal) if (!bySeq.has(e.seq)) bySeq.set(e.seq, { op: call.replace(/^op/, ''), e });
  }
  const entries = [...bySeq.values()].sort((a, b) => a.e.seq - b.e.seq);
  for (const { op, e } of entries) {
    if (e.type === 'request') lines.push(`  op${op} → ${e.method} ${e.path}${e.query ? '?' + readableQuery(e.query) : ''}`);
    else if (e.type === 'response') lines.push(`  op${op} ← ${e.status}${e.summary ? ` ${e.summary}` : ''}`);
    else if (e.type === 'commit') lines.push(`  op${op} ✎ ${e.operation} ${e.uid}: ${e.changes.map((ch) => `${attributeName(ch.attribute)} ${JSON.stringify(ch.before)}→${JSON.stringify(ch.after)}`).join(', ')}`);
    else if (e.type === 'fault') lines.push(`  op${op} ⚡ ${e.kind}${e.detail ? ` (${e.detail})` : ''}`);
  }
  if (c.stalls > 0) lines.push(p.yellow(`  note: the run proceeded ${c.stalls} time(s) without quiescence; a replay may differ`));
  lines.push('');
  lines.push(p.bold('Replay'));
  if (report.replayCommand) lines.push(`  ${report.replayCommand}`);
  if (options.savedTo) lines.push(`  npx dhis2-harness verify --replay ${options.savedTo}`);
  const gaps = formatUnhandledWarning(report.unhandled ?? [], { color: options.color });
  if (gaps.length > 0) lines.push('', ...gaps);
  if (report.cutShort === 'shrink') {
    lines.push(p.yellow('  (the time limit cut shrinking short: this is the smallest story found so far; to shrink further, run the replay command above with a larger --time-limit)'));
  }
  return lines.join('\n') + '\n';
}

/** A query string as the server read it (`+` is a blank in a form-encoded query). */
function readableQuery(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}
