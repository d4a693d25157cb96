// The bench's output: markdown tables (ratios side by side) and the JSON under bench/results/,
// a folder git ignores: a benchmark never dirties the checkout (the README's tables change only
// through `npm run bench:readme`).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

export function machine() {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const cores = os.cpus().length;
  const memGb = os.totalmem() / 2 ** 30;
  const load = os.loadavg().map((l) => l.toFixed(2));
  return {
    cpu, cores, memGb, node: process.version, os: `${os.type()} ${os.release()}`, loadAverageAtStart: load,
    summary: `Machine: ${cpu}, ${cores} cores, ${memGb.toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average at start ${load.join(' / ')}`,
  };
}

const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (a, b) => (a && b ? a / b : null);
const x = (r, digits = 2) => (r === null ? '–' : `${fmt(r, digits)}×`);

export function markdownTable(rows) {
  const [head, ...body] = rows;
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

export function throughputRows(r) {
  const ceiling = r.limits.expressCeiling;
  const bare = r.limits.bareHttp;
  const rows = [['Scenario', 'req/s', '× express ceiling', '× bare node:http', 'server CPU µs/req', 'p99 ms']];
  const add = (name, m) => {
    if (!m || m.skipped) return rows.push([name, `not measured (${m?.skipped ?? 'absent'})`, '', '', '', '']);
    const errors = (m.non2xx ?? 0) + (m.errors ?? 0);
    rows.push([
      `${name}${errors ? ` (${errors} non-2xx/errors)` : ''}`,
      fmt(m.rps), x(ratio(m.rps, ceiling.rps)), x(ratio(m.rps, bare.rps), 3), fmt(m.cpuUsPerRequest), fmt(m.latencyMs?.p99),
    ]);
  };
  add('bare `node:http`, constant (reference)', bare);
  add('express 5 with the emulator\'s settings, constant (**the ceiling**)', ceiling);
  for (const [size, s] of Object.entries(r.emulator)) {
    const n = Number(size).toLocaleString('en-US');
    add(`emulator: GET by UID, ${n} entities`, s.get);
    add(`emulator: legacy search by unique attribute, ${n} entities`, s.search);
    add(`emulator: tracker search by unique attribute, ${n} entities`, s.tracker);
    add(`emulator: POST create (legacy), ${n} entities`, s.create);
  }
  const peerSize = Object.keys(r.emulator).at(-1);
  add(`json-server 0.17: same filtered query, ${Number(peerSize).toLocaleString('en-US')} records`, r.peers.jsonServer);
  return rows;
}

const UPSERT_NAMES = { upsertMany: 'upsertMany', reference: 'search-then-create reference', robust: 'robust single upsert (implementations.robust)' };

function upsertTable(title, set) {
  const rows = [[title, 'records', 'records/s', 'HTTP requests/record', '× reference', 'failed', 'duplicates']];
  const ref = set.reference;
  for (const [name, m] of Object.entries(set)) {
    if (!(name in UPSERT_NAMES)) continue;
    if (!m || m.skipped) rows.push([UPSERT_NAMES[name], '', `not measured (${m?.skipped ?? 'absent'})`, '', '', '', '']);
    else rows.push([UPSERT_NAMES[name], fmt(m.records), fmt(m.recordsPerSecond), fmt(m.requestsPerRecord, 3), x(ratio(m.recordsPerSecond, ref?.recordsPerSecond), 1), fmt(m.failed), fmt(m.duplicates)]);
  }
  return rows;
}

export function upsertRows(r) {
  return upsertTable('Upsert of the same records, loopback (a request costs under a millisecond)', r.upsert);
}

export function latencyRows(r) {
  return upsertTable(`Upsert at ${r.latency?.medianMs ?? '–'} ms median latency (lognormal, every request: a DHIS2 behind a WAN)`, r.latency ?? {});
}

/** The issue's command, this build vs the baseline commit, rounds interleaved in this one run. */
export function harnessRows(r) {
  const v = r.verifySpeed;
  const head = [`\`verify --seed ${v?.seed ?? 1} --runs ${v?.runs ?? 50} --concurrent-runs 0\``, 'runs', 'runs/s', 'CPU ms per run', 'cores busy', '× baseline runs/s', 'CPU per run vs baseline', 'verdict'];
  if (!v || v.skipped) return [head, ['verify speed', '', `not measured (${v?.skipped ?? 'absent'})`, '', '', '', '', '']];
  const base = v.baseline;
  const row = (name, m) =>
    !m || m.skipped
      ? [name, '', `not measured (${m?.skipped ?? 'absent'})`, '', '', '', '', '']
      : [name, fmt(m.runs), fmt(m.runsPerSecond, 1), fmt(m.cpuMsPerRun, 1), fmt(m.cores, 2), x(ratio(m.runsPerSecond, base?.runsPerSecond), 1), x(ratio(m.cpuMsPerRun, base?.cpuMsPerRun)), m.verdict];
  return [
    head,
    row(`robust core, baseline \`${v.commit}\` (the version before this work)`, base),
    row('robust core, this build', v.robust),
    row('naive search-then-create, this build (whole verdict, shrinking included)', v.naive),
  ];
}

export function naiveRows(r) {
  const n = r.naive;
  const head = [`Naive search-then-create convicted (default options, seeds ${n?.seeds?.join(', ') ?? '–'})`, 'median', 'worst', 'caught'];
  if (!n || n.skipped) return [head, ['naive verdicts', `not measured (${n?.skipped ?? 'absent'})`, '', '']];
  const ms = (v) => (v === null ? '–' : `${fmt(v)} ms`);
  const ops = n.perSeed.map((s) => s.storyOps).filter((o) => o !== null);
  return [
    head,
    ['time to the first failing run', ms(n.firstFinding.median), ms(n.firstFinding.worst), `${n.caught}/${n.seeds.length}`],
    ['time to the final, shrunk verdict', ms(n.verdict.median), ms(n.verdict.worst), `stories of ${Math.min(...ops)}–${Math.max(...ops)} ops`],
  ];
}

/** `--db` saves with and without `--db-fsync`, measured alternately in one process, per store size. */
export function saveRows(r) {
  const rows = [['Durable save of --db (whole state rewritten)', 'ms per save (median)', 'p90 ms', '× without fsync']];
  for (const [size, s] of Object.entries(r.save ?? {})) {
    const n = Number(size).toLocaleString('en-US');
    if (!s || s.skipped) {
      rows.push([`${n} entities`, `not measured (${s?.skipped ?? 'absent'})`, '', '']);
      continue;
    }
    const what = `${n} entities (${fmt(s.fileBytes / 1048576, 1)} MB)`;
    rows.push([`without fsync (default), ${what}`, fmt(s.plainMs, 1), fmt(s.plainP90Ms, 1), '1.00×']);
    rows.push([`with \`--db-fsync\`, ${what}`, fmt(s.fsyncMs, 1), fmt(s.fsyncP90Ms, 1), x(ratio(s.fsyncMs, s.plainMs))]);
  }
  return rows;
}

export const GOAL_HEADER = ['Goal', 'Target', 'Measured', 'Result'];

/** Each goal of the issue: target, measured figure, met or missed. */
export function goalRows(r) {
  const big = Object.keys(r.emulator).at(-1);
  const small = Object.keys(r.emulator)[0];
  const s100 = r.emulator[big]?.search;
  const s1 = r.emulator[small]?.search;
  const ceiling = r.limits.expressCeiling;
  const cpuRatio = (a, b) => (a?.cpuUsPerRequest && b?.cpuUsPerRequest ? b.cpuUsPerRequest / a.cpuUsPerRequest : null);
  const many = r.upsert.upsertMany;
  const ref = r.upsert.reference;
  const goals = [
    {
      id: 'search-vs-ceiling', goal: `legacy search by unique attribute at ${fmt(Number(big))} entities vs the express ceiling`, target: '≥ 0.8×',
      value: ratio(s100?.rps, ceiling.rps), ok: (v) => v >= 0.8, show: (v) => `${x(v)} (by server CPU per request: ${x(cpuRatio(s100, ceiling))})`,
    },
    {
      id: 'search-flat', goal: `same search at ${fmt(Number(big))} vs ${fmt(Number(small))} entities (cost flat in size)`, target: '≥ 0.8×',
      value: ratio(s100?.rps, s1?.rps), ok: (v) => v >= 0.8, show: (v) => `${x(v)} (by CPU: ${x(cpuRatio(s100, s1))})`,
    },
    {
      id: 'vs-json-server', goal: `same search vs json-server 0.17 at ${fmt(Number(big))}`, target: '≥ 50×',
      value: ratio(s100?.rps, r.peers.jsonServer?.rps), ok: (v) => v >= 50, show: (v) => x(v, 0),
    },
    {
      id: 'upsert-speedup', goal: `upsertMany vs search-then-create, records/s (${fmt(many?.records)} records)`, target: '≥ 10×',
      value: ratio(many?.recordsPerSecond, ref?.recordsPerSecond), ok: (v) => v >= 10, show: (v) => `${x(v, 1)} (${fmt(many?.recordsPerSecond)} vs ${fmt(ref?.recordsPerSecond)} records/s)`,
    },
    {
      id: 'upsert-requests', goal: 'upsertMany HTTP requests per record', target: '≤ 0.1',
      value: many?.requestsPerRecord ?? null, ok: (v) => v <= 0.1, show: (v) => fmt(v, 3),
    },
    {
      id: 'rss-per-entity', goal: `RSS per stored entity at ${fmt(r.memory?.count)} entities`, target: '≤ 1.5 KB (1,500 bytes)',
      value: r.memory?.rssBytesPerEntity ?? null, ok: (v) => v <= 1500, show: (v) => `${fmt(v)} bytes (V8 heap: ${fmt(r.memory?.heapBytesPerEntity)} bytes)`,
    },
    {
      id: 'latency-speedup', goal: `upsertMany vs search-then-create at ${r.latency?.medianMs ?? '–'} ms median latency, records/s`, target: '≥ 50×',
      value: ratio(r.latency?.upsertMany?.recordsPerSecond, r.latency?.reference?.recordsPerSecond), ok: (v) => v >= 50,
      show: (v) => `${x(v, 1)} (${fmt(r.latency.upsertMany.recordsPerSecond)} vs ${fmt(r.latency.reference.recordsPerSecond, 1)} records/s; loopback: ${x(ratio(many?.recordsPerSecond, ref?.recordsPerSecond), 1)})`,
    },
    {
      id: 'latency-requests', goal: `upsertMany HTTP requests per record at ${r.latency?.medianMs ?? '–'} ms`, target: '≤ 0.1',
      value: r.latency?.upsertMany?.requestsPerRecord ?? null, ok: (v) => v <= 0.1, show: (v) => fmt(v, 3),
    },
    {
      id: 'verify-speedup', goal: `verify robust: runs/s vs \`${r.verifySpeed?.commit ?? '–'}\``, target: '≥ 5×',
      value: ratio(r.verifySpeed?.robust?.runsPerSecond, r.verifySpeed?.baseline?.runsPerSecond), ok: (v) => v >= 5,
      show: (v) => `${x(v, 1)} (${fmt(r.verifySpeed.robust.runsPerSecond, 1)} vs ${fmt(r.verifySpeed.baseline.runsPerSecond, 1)} runs/s)`,
    },
    {
      id: 'verify-cpu', goal: `verify robust: CPU per run vs \`${r.verifySpeed?.commit ?? '–'}\``, target: '≤ 0.33×',
      value: ratio(r.verifySpeed?.robust?.cpuMsPerRun, r.verifySpeed?.baseline?.cpuMsPerRun), ok: (v) => v <= 1 / 3,
      show: (v) => `${x(v)} (${fmt(r.verifySpeed.robust.cpuMsPerRun, 1)} vs ${fmt(r.verifySpeed.baseline.cpuMsPerRun, 1)} ms)`,
    },
    {
      id: 'naive-verdict', goal: `naive search-then-create: final shrunk verdict, median over seeds ${r.naive?.seeds?.[0] ?? '–'}–${r.naive?.seeds?.at(-1) ?? '–'}`, target: '≤ 1 s',
      value: r.naive?.verdict?.median ?? null, ok: (v) => v <= 1000, show: (v) => `${fmt(v)} ms (worst ${fmt(r.naive.verdict.worst)} ms)`,
    },
    {
      id: 'test-wall', goal: '`npm test` wall time', target: '≤ 90 s',
      value: r.testWall?.wallS ?? null, ok: (v) => v <= 90, show: (v) => `${fmt(v, 0)} s (${fmt(r.testWall.passed)} passed, ${fmt(r.testWall.failed)} failed)`,
    },
    {
      id: 'verify-runs', goal: 'verifyUpsert runs per second (robust upsert, scheduled + concurrent runs)', target: 'report',
      value: r.verify?.runsPerSecond ?? null, ok: () => true, show: (v) => `${fmt(v, 1)} runs/s (${fmt(r.verify?.runs)} runs, ${r.verify?.verdict ?? '–'})`,
    },
    {
      id: 'exec-persistent-python', goal: `verify --exec runs/s, persistent vs per-operation (Python search-then-create, --runs ${r.execModes?.runs ?? '–'})`, target: '≥ 10×',
      value: r.execModes?.python?.ratio ?? null, ok: (v) => v >= 10,
      show: (v) => `${x(v, 1)} (${fmt(r.execModes.python.persistent.runsPerSecond, 2)} vs ${fmt(r.execModes.python['per-operation'].runsPerSecond, 2)} runs/s)`,
    },
    {
      id: 'exec-persistent-shell', goal: 'the same for the shell (curl + jq) version', target: 'report',
      value: r.execModes?.shell?.ratio ?? null, ok: () => true,
      show: (v) => `${x(v, 1)} (${fmt(r.execModes.shell.persistent.runsPerSecond, 2)} vs ${fmt(r.execModes.shell['per-operation'].runsPerSecond, 2)} runs/s)`,
    },
  ];
  const rows = goals.map((g) => {
    const measured = g.value === null || g.value === undefined ? null : g.value;
    const met = measured === null ? 'not measured' : g.target === 'report' ? '–' : g.ok(measured) ? '**met**' : '**missed**';
    return { id: g.id, target: g.target, measured, met: met.replace(/\*/g, ''), row: [g.goal, g.target, measured === null ? '–' : g.show(measured), met] };
  });
  return rows;
}

export async function writeResults(r) {
  await mkdir(RESULTS, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const text = `${JSON.stringify(r, null, 2)}\n`;
  // a BENCH_QUICK smoke run is no result to keep: one scratch file, overwritten each time
  const files = r.config.quick ? [`${RESULTS}quick.json`] : [`${RESULTS}${stamp}.json`, `${RESULTS}latest.json`];
  for (const f of files) await writeFile(f, text);
  return files.map((f) => f.replace(fileURLToPath(new URL('../../', import.meta.url)), ''));
}
