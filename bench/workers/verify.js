// verifyUpsert throughput, in its own process: runs of the harness per second against the robust
// upsert (each run: a fresh in-process emulator, a generated workload, the history check).
// Input: { numRuns, concurrentRuns, timeLimitMs, seed }; output: one JSON line.
const { numRuns = 30, concurrentRuns = 5, timeLimitMs = 30_000, seed = 1 } = JSON.parse(process.argv[2] ?? '{}');
const { verifyUpsert } = await import('../../dist/src/harness/index.js');
const { implementations } = await import('../../dist/src/upsert/index.js');
const report = await verifyUpsert(implementations.robust, { seed, numRuns, concurrentRuns, timeLimitMs, minimize: false });
process.stdout.write(`${JSON.stringify({
  ok: report.ok, verdict: report.verdict, runs: report.runs, durationMs: report.durationMs,
  runsPerSecond: report.runsPerSecond, interrupted: report.interrupted, seed: report.seed,
})}\n`);
process.exit(0);
