/**
 * One self-contained HTML page per run (`--html FILE`): the summary table, then per scenario and
 * implementation the findings, the replay command and, per failing key, the timeline that shows
 * which operations raced and where a duplicate came from. No external assets.
 */
import type { DuplicateFinding } from '../findings.js';
import type { ScenarioFinding } from '../scenario/findings.js';
import type { ScenarioOp } from '../scenario/histories.js';
import { esc } from './escape.js';
import { SCRIPT, STYLE } from './html-style.js';
import { verdictClass, type RunReport, type ScenarioResult } from './model.js';
import { commitLabel, requestLabel, requestStories } from './request-label.js';
import { renderTimeline } from './timeline.js';
import { EMULATOR_GAP_LABEL, formatUnhandledWarning } from '../unhandled.js';

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function anchor(i: number): string {
  return `r${i}`;
}

function summaryTable(report: RunReport): string {
  const rows = report.results
    .map(
      (r, i) =>
        `<tr><td class="name"><a href="#${anchor(i)}">${esc(r.scenario)}</a></td><td><code>${esc(r.implementation)}</code></td><td><span class="badge ${verdictClass(r.verdict)}">${r.verdict}</span></td><td class="num">${r.operations}</td><td class="num">${r.requests}</td><td class="num">${ms(r.durationMs)}</td><td>${esc(clip(r.summary, 160))}</td></tr>`,
    )
    .join('');
  return `<table class="summary"><thead><tr><th>scenario</th><th>implementation</th><th>verdict</th><th>operations</th><th>requests</th><th>time</th><th>what happened</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Keys worth a timeline: those the findings name (or whose operations they name). */
function keysOf(r: ScenarioResult): string[] {
  const ops = r.run?.ops ?? [];
  const keys = new Set<string>();
  for (const f of r.findings) {
    if (f.key) keys.add(f.key.toLowerCase());
    else for (const id of f.ops) {
      const op = ops.find((o) => o.id === id);
      if (op) keys.add(op.keyValue.toLowerCase());
    }
  }
  if (keys.size === 0) for (const op of ops) keys.add(op.keyValue.toLowerCase());
  return [...keys];
}

function opsTable(ops: ScenarioOp[]): string {
  const rows = ops
    .map((o) => {
      const reqs = o.requests.map((q) => `${q.method} ${q.path.split('?')[0]} → ${q.status ?? '…'}${q.fault ? ` (${q.fault})` : ''}`).join('<br>');
      const err = o.error ? `${o.error.code ?? o.error.name}: ${o.error.message}` : '';
      // the implementation's own output (adaptor console, script stderr), under its error
      const logs = o.logs?.length ? `<details class="logs"><summary>${o.logs.length} log line(s)</summary><pre>${esc(o.logs.join('\n'))}</pre></details>` : '';
      return `<tr><td>op${o.id}</td><td>${esc(o.lane)}</td><td>${esc(o.label)}</td><td>${esc(o.phase)}</td><td class="outcome-${o.outcome}">${o.outcome}</td><td><code>${esc(o.uid ?? '')}</code></td><td><code>${reqs}</code></td><td>${esc(err)}${logs}</td></tr>`;
    })
    .join('');
  return `<table class="ops"><thead><tr><th>op</th><th>client</th><th>label</th><th>phase</th><th>outcome</th><th>UID</th><th>requests</th><th>error</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function findingItem(f: ScenarioFinding): string {
  return `<li><code>${esc(f.code)}</code>${f.emulatorGap ? ` <b class="gap">${esc(EMULATOR_GAP_LABEL)}</b>` : ''} ${esc(f.message)}</li>`;
}

/** Requests the emulator could not answer as DHIS2 would: the verdict may not be DHIS2's. */
function unhandledNote(r: ScenarioResult): string {
  if (!r.unhandled?.length) return '';
  return `<div class="unhandled"><pre>${esc(formatUnhandledWarning(r.unhandled).join('\n'))}</pre></div>`;
}

/**
 * The key's story as a list, in the order the emulator saw it: each request with what came of it
 * (the same words as the ticks) and each commit. Beside the timeline, it reads as text what the
 * picture shows: both searched, then both created.
 */
function interleavingList(ops: ScenarioOp[]): string {
  const entries = ops.flatMap((op) => op.journal.map((e) => ({ op, e }))).sort((a, b) => a.e.seq - b.e.seq);
  const stories = new Map(requestStories(entries.map((x) => x.e)).map((st) => [st.request.requestId, st]));
  const items: string[] = [];
  for (const { op, e } of entries) {
    const who = `<b>op${op.id}</b> <span class="who">${esc(op.lane)}</span>`;
    if (e.type === 'request') {
      const story = stories.get(e.requestId);
      const label = story ? requestLabel(story) : '';
      // a metadata read names its resource already; searches and writes show their path
      const where = label.startsWith('GET ') ? '' : ` <span class="path">${esc(`${e.method} ${e.path}`)}</span>`;
      if (story) items.push(`<li class="${story.fault ? 'faulted' : ''}">${who} ${esc(label)}${where}</li>`);
    } else if (e.type === 'commit') {
      items.push(`<li class="commit">${who} ${esc(commitLabel(e))}</li>`);
    }
  }
  if (items.length === 0) return '';
  return `<div class="interleaving"><h4>Interleaving</h4><p class="hint">the order in which the emulator saw requests and commits</p><ol>${items.join('')}</ol></div>`;
}

function timelinesFor(r: ScenarioResult): string {
  const run = r.run;
  if (!run) return '';
  return keysOf(r)
    .map((key) => {
      const ops = run.ops.filter((o) => o.keyValue.toLowerCase() === key);
      const duplicate = r.findings.find((f): f is DuplicateFinding => f.code === 'DUPLICATE' && f.key.toLowerCase() === key);
      const findings = r.findings.filter((f) => f.key?.toLowerCase() === key);
      return `<div class="key" data-key="${esc(ops[0]?.keyValue ?? key)}"><h3>Key <code>${esc(ops[0]?.keyValue ?? key)}</code>${findings.length ? ` — ${esc([...new Set(findings.map((f) => f.code))].join(', '))}` : ''}</h3>
<div class="story"><div class="timelines"><div class="tl order">${renderTimeline({ run, ops, duplicate, axis: 'order' })}</div><div class="tl time">${renderTimeline({ run, ops, duplicate, axis: 'time' })}</div></div>${interleavingList(ops)}</div></div>`;
    })
    .join('');
}

function resultSection(r: ScenarioResult, i: number): string {
  const facts = [r.file, r.dhis2Version && `DHIS2 ${r.dhis2Version}`, r.uniqueness && `uniqueness ${r.uniqueness}`, r.seed !== undefined && `seed ${r.seed}`].filter(Boolean).join(' · ');
  const expected = r.expectedFailure ? `<p><b>Expected to fail with</b> <code>${esc(r.expectedFailure.findings.join(', '))}</code>${r.expectedFailure.because ? `: ${esc(r.expectedFailure.because)}` : ''}</p>` : '';
  const findings = r.findings.length ? `<ul class="findings">${r.findings.map(findingItem).join('')}</ul>` : '';
  const ignored = r.ignored.length ? `<details><summary>${r.ignored.length} ignored finding(s)</summary><ul class="findings">${r.ignored.map(findingItem).join('')}</ul></details>` : '';
  const error = r.error ? `<pre class="error">${esc(`${r.error.code ?? r.error.name}: ${r.error.message}`)}</pre>` : '';
  const body = r.run
    ? r.findings.length > 0
      ? `${timelinesFor(r)}<details><summary>Operations and requests</summary>${opsTable(r.run.ops)}</details>`
      : `<details><summary>Timeline, operations and requests</summary>${timelinesFor(r)}${opsTable(r.run.ops)}</details>`
    : '';
  return `<section class="result verdict-${verdictClass(r.verdict)}" id="${anchor(i)}" data-verdict="${r.verdict}">
<h2><span class="badge ${verdictClass(r.verdict)}">${r.verdict}</span> ${esc(r.title)} — <code>${esc(r.implementation)}</code></h2>
<p class="file">${esc(facts)}</p>
${r.description ? `<p>${esc(r.description)}</p>` : ''}${r.seenIn ? `<p><b>Seen in:</b> ${esc(r.seenIn)}</p>` : ''}${expected}
<p><b>${esc(r.summary)}</b></p>${unhandledNote(r)}${findings}${ignored}${error}
<p class="replay">Replay: <code>${esc(r.replay)}</code></p>
${body}
</section>`;
}

export function renderHtml(report: RunReport): string {
  const c = report.counts;
  const total = report.results.length;
  const bad = c.FAIL + c.XPASS + c.ERROR;
  const headline = `${total} run(s): ${c.PASS} passed, ${c.XFAIL} failed as in the field (expected)${c['N/A'] ? `, ${c['N/A']} not applicable` : ''}, ${bad} failed`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dhis2-harness run — ${report.ok ? 'all expectations held' : `${bad} failed`}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>dhis2-harness run</h1>
<p class="overall ${report.ok ? 'ok' : 'bad'}">${esc(headline)}</p>
<p class="meta">started ${esc(report.startedAt)} · ${ms(report.durationMs)} · dhis2-harness ${esc(report.version)}</p>
<p class="legend"><span><i style="background:var(--ok)"></i>succeeded</span><span><i style="background:var(--fail)"></i>failed</span><span><i style="background:var(--unknown)"></i>outcome unknown</span><span><i style="background:#1565c0"></i>commit</span><span><i style="background:#ff6f00"></i>injected fault</span><span><i style="background:#ff1744"></i>created a duplicate</span></p>
<p class="controls">Timeline axis: <label><input type="radio" name="axis" value="order" checked> order of events</label> <label><input type="radio" name="axis" value="time"> wall-clock time</label></p>
</header>
${summaryTable(report)}
${report.results.map(resultSection).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
}
