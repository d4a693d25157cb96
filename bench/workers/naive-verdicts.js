// How fast verify convicts a naive search-then-create: for each seed, the time to the first
// failing run and to the final, shrunk verdict (default options: the search ends at the first
// finding, then shrinking and story minimisation). Input: { seeds }; output: one JSON line.
const { seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } = JSON.parse(process.argv[2] ?? '{}');
const { verifyUpsert } = await import('../../dist/src/harness/index.js');
const { references } = await import('../../dist/src/reference/index.js');

const perSeed = [];
for (const seed of seeds) {
  let firstFindingMs = null;
  let firstFindingRun = null;
  const t0 = performance.now();
  const report = await verifyUpsert(references.naiveSearchThenCreate, {
    seed,
    onRun: (e) => {
      if (!e.ok && firstFindingMs === null) {
        firstFindingMs = performance.now() - t0;
        firstFindingRun = e.run;
      }
    },
  });
  const c = report.counterexample;
  perSeed.push({
    seed, verdict: report.verdict, runs: report.runs, firstFindingRun, firstFindingMs, verdictMs: performance.now() - t0,
    storyOps: c ? c.workload.rounds.reduce((n, r) => n + r.length, 0) : null, interrupted: report.interrupted,
  });
}
const stats = (key) => {
  const v = perSeed.map((s) => s[key]).filter((x) => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return { median: null, worst: null };
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, worst: v.at(-1) };
};
process.stdout.write(`${JSON.stringify({ seeds, perSeed, firstFinding: stats('firstFindingMs'), verdict: stats('verdictMs'), caught: perSeed.filter((s) => s.verdict !== 'PASS').length })}\n`);
process.exit(0);
