// The bench: every server under test in its own child process, autocannon in another, loopback
// only, each measurement bounded. Prints markdown tables of ratios measured side by side in this
// one run and writes the raw figures to bench/results/.
import { BASELINE_COMMIT, ensureBaseline } from './baseline.js';
import { readPaths } from './paths.js';
import { runWorker, startServer } from './children.js';
import { GOAL_HEADER, goalRows, harnessRows, latencyRows, machine, markdownTable, naiveRows, saveRows, throughputRows, upsertRows, writeResults } from './report.js';

const quick = process.env.BENCH_QUICK === '1';
const config = {
  quick,
  /** seconds per measured round; each read scenario gets `rounds` of them, interleaved */
  duration: Number(process.env.BENCH_DURATION ?? (quick ? 1 : 2.5)),
  rounds: quick ? 1 : 2,
  warmups: quick ? 1 : 2,
  warmupDuration: 1,
  connections: 10,
  sizes: quick ? [1000, 10_000] : [1000, 100_000],
  upsertRecords: quick ? 1000 : 10_000,
  upsertPreloaded: quick ? 500 : 5000,
  upsertConcurrency: 4,
  memoryEntities: quick ? 10_000 : 100_000,
  /** durable save: store sizes (entities), saves of each kind per size */
  save: { sizes: quick ? [100, 1000] : [1000, 10_000], saves: quick ? 10 : 20 },
  verify: { numRuns: quick ? 5 : 30, concurrentRuns: quick ? 1 : 5, timeLimitMs: quick ? 10_000 : 30_000, seed: 1 },
  /** the command: verify --seed 1 --runs 50 --concurrent-runs 0, this build vs the baseline, rounds interleaved */
  verifySpeed: { seed: 1, runs: 50, rounds: quick ? 1 : 2 },
  naiveSeeds: quick ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  /** a DHIS2 behind a WAN: lognormal latency on every request (median, ms); record counts per implementation */
  latency: { medianMs: 40, records: { upsertMany: quick ? 1000 : 4000, reference: quick ? 60 : 200, robust: quick ? 60 : 200 } },
  /** the whole npm test once (several minutes); BENCH_TEST_WALL=0 leaves it out */
  testWall: !quick && process.env.BENCH_TEST_WALL !== '0',
  execModes: { runs: quick ? 5 : 20, timeLimitS: quick ? 20 : 90, seed: 42 },
};
const AUTH = { authorization: `Basic ${Buffer.from('admin:district').toString('base64')}` };
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

/** One autocannon measurement against a running server, with the server's CPU time over it. */
async function load(server, spec, warm) {
  const base = { url: server.url, headers: AUTH, connections: config.connections, warmupDuration: config.warmupDuration };
  // warm-ups run in a worker of their own: CPU is charged from the measured run's start only
  if (warm) await runWorker('workers/load.js', { ...base, ...spec, duration: config.warmupDuration, warmups: config.warmups - 1 });
  const cpu0 = await server.cpu();
  const r = await runWorker('workers/load.js', { ...base, ...spec, duration: config.duration, warmups: 0 });
  const cpu1 = await server.cpu();
  return { ...r, cpuUs: cpu1 - cpu0 };
}

/** The first path must answer 200 with what the scenario expects, or it is not benchmarked. */
async function preflight(url, path, expect) {
  const res = await fetch(`${url}${path}`, { headers: AUTH });
  const text = await res.text();
  if (res.status !== 200) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
  return expect(JSON.parse(text)) ? null : `unexpected body: ${text.slice(0, 200)}`;
}

const EXPECT = {
  get: (b) => typeof b.trackedEntityInstance === 'string',
  search: (b) => b.trackedEntityInstances?.length === 1,
  tracker: (b) => (b.trackedEntities ?? b.instances)?.length === 1,
  'json-server': (b) => Array.isArray(b) && b.length === 1,
};

async function withServer(script, args, fn) {
  const server = await startServer(script, args);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

async function optional(name, fn) {
  try {
    return await fn();
  } catch (e) {
    // a child's stack trace names the error on its first line that is not a source excerpt
    const lines = e.message.split('\n').map((l) => l.trim()).filter(Boolean);
    const why = (lines.find((l) => /^\w*Error\b|^Error:/.test(l)) ?? lines[0]).slice(0, 300);
    log(`${name}: not measured (${why})`);
    return { skipped: why };
  }
}

/**
 * Read scenarios run in interleaved rounds (ceiling, then each scenario, then again), every server
 * alive at once: when other work on the machine speeds up or slows down during the run, it shifts
 * the ceiling and the emulator alike instead of skewing one ratio.
 */
async function interleaved(entries) {
  const runs = new Map(entries.map((e) => [e.key, []]));
  for (let round = 0; round < config.rounds; round++) {
    for (const e of entries) {
      if (e.skipped) continue;
      log(`round ${round + 1}/${config.rounds}: ${e.key} …`);
      runs.get(e.key).push(await load(e.server, e.spec, round === 0));
    }
  }
  return new Map(entries.map((e) => [e.key, e.skipped ? { skipped: e.skipped } : combine(runs.get(e.key))]));
}

/** Rounds of one scenario → one figure: requests and CPU summed, so rps and CPU/request are means. */
function combine(rounds) {
  const total = rounds.reduce((n, r) => n + r.total, 0);
  const seconds = rounds.reduce((n, r) => n + r.durationS, 0);
  const cpu = rounds.reduce((n, r) => n + (r.cpuUs ?? 0), 0);
  const status = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.status ?? {})) status[k] = (status[k] ?? 0) + v;
  return {
    rps: total / seconds, total, durationS: seconds, cpuUsPerRequest: total > 0 ? cpu / total : null,
    latencyMs: { p50: Math.max(...rounds.map((r) => r.latencyMs.p50)), p99: Math.max(...rounds.map((r) => r.latencyMs.p99)) },
    errors: rounds.reduce((n, r) => n + r.errors, 0), non2xx: rounds.reduce((n, r) => n + r.non2xx, 0), status,
    rounds: rounds.map((r) => Math.round(r.rps)),
  };
}

/**
 * The command on this build and on the baseline, alternately (baseline, this, baseline,
 * this …) so load from other work on the machine hits both alike; runs and CPU summed per side.
 */
async function verifySpeed() {
  const here = new URL('../../dist/', import.meta.url).pathname;
  let baseline;
  try {
    baseline = ensureBaseline(log);
  } catch (e) {
    log(`baseline ${BASELINE_COMMIT}: not measured (${e.message})`);
  }
  const sides = { baseline: [], robust: [], naive: [] };
  const { seed, runs, rounds } = config.verifySpeed;
  for (let round = 0; round < rounds; round++) {
    if (baseline) {
      log(`verify speed, round ${round + 1}/${rounds}: robust at ${BASELINE_COMMIT} …`);
      sides.baseline.push(await runWorker('workers/verify-speed.js', { dist: baseline, impl: 'robust', seed, runs }));
    }
    log(`verify speed, round ${round + 1}/${rounds}: robust, this build …`);
    sides.robust.push(await runWorker('workers/verify-speed.js', { dist: here, impl: 'robust', seed, runs }));
    log(`verify speed, round ${round + 1}/${rounds}: naive search-then-create, this build …`);
    sides.naive.push(await runWorker('workers/verify-speed.js', { dist: here, impl: 'naive', seed, runs }));
  }
  const sum = (list) => {
    if (list.length === 0) return { skipped: `baseline ${BASELINE_COMMIT} not available` };
    const r = list.reduce((a, b) => ({ runs: a.runs + b.runs, wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs }), { runs: 0, wallMs: 0, cpuMs: 0 });
    return { ...r, runsPerSecond: r.runs / (r.wallMs / 1000), cpuMsPerRun: r.cpuMs / r.runs, cores: r.cpuMs / r.wallMs, verdict: list[0].verdict, rounds: list };
  };
  return { commit: BASELINE_COMMIT, seed, runs, baseline: sum(sides.baseline), robust: sum(sides.robust), naive: sum(sides.naive) };
}

export async function main() {
  const started = Date.now();
  const results = { machine: machine(), config, startedAt: new Date(started).toISOString(), limits: {}, emulator: {}, peers: {} };
  log(`${results.machine.cpu} × ${results.machine.cores}, Node ${results.machine.node}; ${config.rounds} rounds of ${config.duration} s per scenario, ${config.warmups} warm-up(s) first`);

  log('bare node:http …');
  results.limits.bareHttp = await withServer('servers/bare-http.js', [], async (s) => combine([await load(s, { paths: ['/'] }, true)]));

  const servers = [];
  const start = async (script, args) => {
    const s = await startServer(script, args);
    servers.push(s);
    return s;
  };
  try {
    const ceiling = await start('servers/express-ceiling.js', []);
    const entries = [{ key: 'ceiling', server: ceiling, spec: { read: { kind: 'constant', size: 1000 } } }];
    const emulators = {};
    for (const size of config.sizes) {
      log(`emulator with ${size} entities: starting`);
      emulators[size] = await start('servers/emulator.js', [size, 'atomic']);
      for (const kind of ['get', 'search', 'tracker']) {
        const skipped = await preflight(emulators[size].url, readPaths(kind, size, 1)[0], EXPECT[kind]);
        if (skipped) log(`${kind} at ${size}: not measured (${skipped})`);
        entries.push({ key: `${kind}@${size}`, server: emulators[size], spec: { read: { kind, size } }, skipped });
      }
    }
    const peerSize = config.sizes.at(-1);
    log(`json-server 0.17 with ${peerSize} records: starting`);
    const peer = await start('servers/json-server.js', [peerSize]).catch((e) => ({ error: e }));
    const peerSkip = peer.error ? peer.error.message.slice(0, 200) : await preflight(peer.url, readPaths('json-server', peerSize, 1)[0], EXPECT['json-server']);
    entries.push({ key: 'json-server', server: peer, spec: { read: { kind: 'json-server', size: peerSize } }, skipped: peerSkip ?? undefined });

    const measured = await interleaved(entries);
    results.limits.expressCeiling = measured.get('ceiling');
    results.peers.jsonServer = measured.get('json-server');
    for (const size of config.sizes) {
      results.emulator[size] = {};
      for (const kind of ['get', 'search', 'tracker']) results.emulator[size][kind] = measured.get(`${kind}@${size}`);
    }
    // writes last: they add entities to the stores the reads above measured
    for (const size of config.sizes) {
      log(`create at ${size} …`);
      results.emulator[size].create = combine([await load(emulators[size], { create: { tag: `c${size}`, path: '/api/trackedEntityInstances' } }, true)]);
    }
  } finally {
    for (const s of servers) if (s.stop) await s.stop();
  }

  results.upsert = {};
  for (const impl of ['upsertMany', 'reference', 'robust']) {
    log(`${impl}: ${config.upsertRecords} records (${config.upsertPreloaded} already stored) …`);
    results.upsert[impl] = await optional(impl, () =>
      withServer('servers/emulator.js', [config.upsertPreloaded, 'atomic'], (s) =>
        runWorker('workers/upsert.js', { url: s.url, impl, records: config.upsertRecords, concurrency: config.upsertConcurrency }),
      ),
    );
  }

  results.latency = { medianMs: config.latency.medianMs };
  for (const [impl, records] of Object.entries(config.latency.records)) {
    log(`${impl} at ${config.latency.medianMs} ms median latency: ${records} records (${records / 2} already stored) …`);
    results.latency[impl] = await optional(`${impl} with latency`, () =>
      withServer('servers/emulator.js', [records / 2, 'atomic', config.latency.medianMs], (s) =>
        runWorker('workers/upsert.js', { url: s.url, impl, records, concurrency: config.upsertConcurrency }, { timeoutMs: 600_000 }),
      ),
    );
  }

  log(`memory: ${config.memoryEntities} entities …`);
  results.memory = await optional('memory', () => runWorker('workers/memory.js', { count: config.memoryEntities }, { nodeArgs: ['--expose-gc'] }));
  results.save = {};
  for (const entities of config.save.sizes) {
    log(`durable save: ${entities} entities, with and without fsync …`);
    results.save[entities] = await optional('durable save', () => runWorker('workers/save.js', { entities, saves: config.save.saves }));
  }
  log('verifyUpsert runs …');
  results.verify = await optional('verifyUpsert', () => runWorker('workers/verify.js', config.verify));
  results.verifySpeed = await optional('verify speed', () => verifySpeed());
  log(`naive search-then-create, seeds ${config.naiveSeeds.join(', ')}: time to the first finding and to the shrunk verdict …`);
  results.naive = await optional('naive verdicts', () => runWorker('workers/naive-verdicts.js', { seeds: config.naiveSeeds }, { timeoutMs: 30 * 60_000 }));
  log('verify --exec: per-operation vs persistent …');
  results.execModes = await optional('exec modes', () => runWorker('workers/exec-modes.js', config.execModes, { timeoutMs: 4 * (config.execModes.timeLimitS + 60) * 1000 }));

  if (config.testWall) {
    log('npm test (wall time of the whole suite) …');
    results.testWall = await optional('npm test', () => runWorker('workers/test-wall.js', {}, { timeoutMs: 30 * 60_000 }));
  } else results.testWall = { skipped: quick ? 'not measured in a quick run' : 'left out (BENCH_TEST_WALL=0)' };

  results.durationS = (Date.now() - started) / 1000;
  results.goals = goalRows(results);
  const tables = [throughputRows(results), upsertRows(results), latencyRows(results), harnessRows(results), naiveRows(results), saveRows(results), [GOAL_HEADER, ...results.goals.map((g) => g.row)]]
    .map(markdownTable)
    .join('\n\n');
  results.markdown = tables;
  const files = await writeResults(results);
  process.stdout.write(`\n${results.machine.summary}\n\n${tables}\n\nRaw figures: ${files.join(', ')} (${results.durationS.toFixed(0)} s)\n`);
}
