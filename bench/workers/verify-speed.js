// verifyUpsert speed, in its own process: the issue's command `verify --implementation <impl>
// --seed S --runs N --concurrent-runs 0`, through the API of the given build (this one or the
// baseline), with the process's CPU time over the verification (module loading excluded: both
// builds pay it once per process). Input: { dist, impl: 'robust' | 'naive', seed, runs };
// output: one JSON line.
const { dist, impl = 'robust', seed = 1, runs = 50 } = JSON.parse(process.argv[2] ?? '{}');
const { verifyUpsert } = await import(`${dist}src/harness/index.js`);
const { implementations } = await import(`${dist}src/upsert/index.js`);
const { references } = await import(`${dist}src/reference/index.js`);
const implementation = impl === 'naive' ? references.naiveSearchThenCreate : implementations.robust;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = await verifyUpsert(implementation, { seed, numRuns: runs, concurrentRuns: 0 });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({
  impl, seed, verdict: report.verdict, runs: report.runs, wallMs, runsPerSecond: report.runs / (wallMs / 1000),
  cpuMs, cpuMsPerRun: cpuMs / report.runs, cores: cpuMs / wallMs,
})}\n`);
process.exit(0);
