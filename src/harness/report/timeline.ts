/**
 * The Jepsen-style timeline of one key: one lane per client with each operation as a bar from
 * invocation to completion (coloured by outcome, ticks for its requests), and a server lane with
 * the commits and injected faults, connected to the operation that caused them. The commits that
 * created a duplicate, and their operations, are highlighted. Plain SVG, no script needed.
 */
import type { JournalEntry } from '../../../mock-server/index.js';
import type { DuplicateFinding } from '../findings.js';
import type { ScenarioRun } from '../scenario/execute.js';
import type { ScenarioOp } from '../scenario/histories.js';
import { esc } from './escape.js';
import { requestLabel, requestStories } from './request-label.js';

export type TimelineAxis = 'order' | 'time';

interface Ev {
  op: ScenarioOp;
  kind: 'invoke' | 'complete' | JournalEntry['type'];
  ms: number;
  rank: number;
  seq: number;
  entry?: JournalEntry;
}

const W = 980;
const GUTTER = 150;
const LANE_H = 76;
/** bar top within a lane; tick labels hang below it in two rows */
const BAR_Y = 18;
const SERVER_H = 64;
const TOP = 34;
const GLYPH = { ok: '✓', fail: '✗', unknown: '?' } as const;

function eventsOf(ops: ScenarioOp[], startedAt: number): Ev[] {
  const out: Ev[] = [];
  for (const op of ops) {
    out.push({ op, kind: 'invoke', ms: op.invokedMs, rank: 0, seq: op.invoke });
    for (const e of op.journal) out.push({ op, kind: e.type, ms: e.at - startedAt, rank: 1, seq: e.seq, entry: e });
    out.push({ op, kind: 'complete', ms: Number.isFinite(op.completedMs) ? op.completedMs : op.invokedMs, rank: 2, seq: op.complete });
  }
  // real time first; within a millisecond, an invocation precedes its requests and they precede its completion
  return out.sort((a, b) => a.ms - b.ms || a.rank - b.rank || a.seq - b.seq);
}

function shortUid(uid: string): string {
  return uid.length > 6 ? `${uid.slice(0, 5)}…` : uid;
}

export interface TimelineInput {
  run: ScenarioRun;
  ops: ScenarioOp[];
  duplicate?: DuplicateFinding;
  axis: TimelineAxis;
}

export function renderTimeline({ run, ops, duplicate, axis }: TimelineInput): string {
  if (ops.length === 0) return '';
  const events = eventsOf(ops, run.startedAt);
  const lanes = [...new Set(ops.map((o) => o.lane))];
  const serverY = TOP + lanes.length * LANE_H;
  const height = serverY + SERVER_H + 30;
  const plot = W - GUTTER - 40;
  const t0 = Math.min(...events.map((e) => e.ms));
  const t1 = Math.max(...events.map((e) => e.ms), t0 + 1);
  const index = new Map(events.map((e, i) => [e, i]));
  const xOf = (e: Ev) => GUTTER + 16 + (axis === 'order' ? (index.get(e)! / Math.max(1, events.length - 1)) * plot : ((e.ms - t0) / (t1 - t0)) * plot);
  const laneY = (lane: string) => TOP + lanes.indexOf(lane) * LANE_H;
  const dupOps = new Set(duplicate?.createdBy.map((c) => c.op) ?? []);
  const dupUids = new Set(duplicate?.createdBy.map((c) => c.uid) ?? []);
  const parts: string[] = [];

  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline axis-${axis}" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="timeline of ${esc(ops[0].keyValue)}">`);
  parts.push(`<text class="axis-label" x="${GUTTER + 16}" y="16">${axis === 'order' ? 'events in the order they happened →' : `time → (${Math.round(t1 - t0)} ms)`}</text>`);
  lanes.forEach((lane, i) => {
    parts.push(`<rect class="lane ${i % 2 ? 'odd' : 'even'}" x="0" y="${TOP + i * LANE_H}" width="${W}" height="${LANE_H}"/>`);
    parts.push(`<text class="lane-name" x="8" y="${TOP + i * LANE_H + BAR_Y + 15}">${esc(lane)}</text>`);
  });
  parts.push(`<rect class="lane server" x="0" y="${serverY}" width="${W}" height="${SERVER_H}"/>`);
  parts.push(`<text class="lane-name" x="8" y="${serverY + 36}">DHIS2 (server)</text>`);

  const perLane = new Map<string, number>();
  for (const op of ops) {
    const mine = events.filter((e) => e.op === op);
    const x0 = xOf(mine[0]);
    const x1 = Math.max(xOf(mine[mine.length - 1]), x0 + 6);
    const y = laneY(op.lane);
    // consecutive operations in one lane (reruns) put their labels above and below in turn
    const nth = perLane.get(op.lane) ?? 0;
    perLane.set(op.lane, nth + 1);
    const labelY = nth % 2 === 0 ? y + 12 : y + LANE_H - 4;
    const dup = dupOps.has(op.id) ? ' dup' : '';
    const tip = `op${op.id} ${op.label}: ${op.outcome}${op.uid ? ` → ${op.uid}` : ''}${op.error ? ` (${op.error.code ?? op.error.name}: ${op.error.message})` : ''}`;
    const stories = new Map(requestStories(op.journal).map((st) => [st.request.requestId, st]));
    const ticks: string[] = [];
    const tickLabels: string[] = [];
    mine.filter((m) => m.kind === 'request').forEach((e, k) => {
      const req = e.entry as Extract<JournalEntry, { type: 'request' }>;
      const story = stories.get(req.requestId) ?? { request: req };
      const x = xOf(e).toFixed(1);
      const label = requestLabel(story);
      const status = story.response ? story.response.status || 'connection closed' : '…';
      ticks.push(`<line class="tick" x1="${x}" x2="${x}" y1="${y + BAR_Y}" y2="${y + BAR_Y + 20}"><title>${esc(`${req.method} ${req.path} → ${status}`)}</title></line>`);
      // two rows, so labels of neighbouring requests do not overprint
      tickLabels.push(`<text class="tick-label${story.fault ? ' faulted' : ''}" x="${x}" y="${y + BAR_Y + 31 + (k % 2) * 10}">${esc(label)}</text>`);
    });
    parts.push(`<g class="op outcome-${op.outcome}${dup}" data-op="${op.id}" data-outcome="${op.outcome}"><title>${esc(tip)}</title>`);
    parts.push(`<rect class="bar" x="${x0.toFixed(1)}" y="${y + BAR_Y}" width="${(x1 - x0).toFixed(1)}" height="20" rx="4"/>`);
    parts.push(...ticks);
    parts.push(`<text class="op-label" x="${(x0 + 4).toFixed(1)}" y="${labelY}">${esc(`op${op.id} ${op.label} ${GLYPH[op.outcome]}${op.uid ? ` ${op.uid}` : ''}${dup ? ' — created a duplicate' : ''}`)}</text>`);
    parts.push('</g>');
    // outside the op's group: the group's text is its label (hover, tests)
    if (tickLabels.length > 0) parts.push(`<g class="tick-labels" data-op="${op.id}">${tickLabels.join('')}</g>`);
  }

  let marker = 0;
  for (const e of events) {
    if (e.kind !== 'commit' && e.kind !== 'fault') continue;
    const x = xOf(e);
    const opY = laneY(e.op.lane) + BAR_Y + 20;
    const cy = serverY + 32;
    // labels alternate above and below the markers, so neighbours do not overprint
    const ly = marker++ % 2 === 0 ? cy - 12 : cy + 21;
    if (e.kind === 'commit') {
      const c = e.entry as Extract<JournalEntry, { type: 'commit' }>;
      const dup = c.operation === 'create' && dupUids.has(c.uid) ? ' dup' : '';
      parts.push(`<g class="commit${dup}" data-uid="${esc(c.uid)}" data-operation="${esc(c.operation)}"><title>${esc(`commit #${c.commitSeq}: ${c.operation} ${c.uid} by op${e.op.id}${c.changes.length ? ` (${c.changes.map((ch) => `${ch.attribute}: ${ch.before ?? '∅'} → ${ch.after ?? '∅'}`).join(', ')})` : ''}`)}</title>`);
      parts.push(`<line class="link" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${opY}" y2="${cy - 7}"/>`);
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${cy}" r="${dup ? 8 : 6}"/>`);
      parts.push(`<text x="${(x + 6).toFixed(1)}" y="${ly}">${esc(`${c.operation} ${shortUid(c.uid)}`)}</text></g>`);
    } else {
      const f = e.entry as Extract<JournalEntry, { type: 'fault' }>;
      parts.push(`<g class="fault" data-kind="${esc(f.kind)}"><title>${esc(`fault (rule ${f.rule}): ${f.kind} on ${f.route}${f.committed ? ' after commit' : ''}${f.detail ? ` — ${f.detail}` : ''}`)}</title>`);
      parts.push(`<line class="link fault-link" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${opY}" y2="${cy - 8}"/>`);
      parts.push(`<path d="M ${x.toFixed(1)} ${cy - 9} l 8 15 l -16 0 z"/>`);
      parts.push(`<text x="${(x + 6).toFixed(1)}" y="${ly}">${esc(f.kind)}</text></g>`);
    }
  }
  if (duplicate) {
    parts.push(`<text class="dup-banner" x="${GUTTER + 16}" y="${height - 10}">${esc(`duplicate: ${duplicate.uids.length} live entities carry ${duplicate.key} (${duplicate.uids.join(', ')})${duplicate.createdBy.length ? `, created by ${duplicate.createdBy.map((c) => `op${c.op}`).join(' and ')}` : ''}`)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
