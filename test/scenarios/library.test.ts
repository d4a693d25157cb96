/**
 * The scenario library (issue item 2): every scenario reproduces its field bug with the matching
 * reference implementation (XFAIL with the declared finding) while the robust core passes, and
 * the verdicts do not depend on timing (the same run twice gives the same findings).
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport, ScenarioResult } from '../../src/harness/report/model.js';
import { loadScenarioFile } from '../../src/harness/scenario/load.js';
import { runScenarios } from '../../src/harness/scenario/run-scenarios.js';

const files = readdirSync('scenarios').filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort();

let report: RunReport;
beforeAll(async () => {
  report = await runScenarios(['scenarios']);
}, 120_000);

const resultOf = (file: string, robust: boolean): ScenarioResult => {
  const r = report.results.find((x) => x.file.endsWith(file) && (x.implementation === 'robust') === robust);
  if (!r) throw new Error(`no ${robust ? 'robust' : 'reference'} result for ${file}`);
  return r;
};

describe('the scenario library', () => {
  it('holds at least 12 scenarios, each with a field note, the robust core and one reference', async () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) {
      const { scenario } = await loadScenarioFile(`scenarios/${f}`);
      expect(scenario.seenIn.length, f).toBeGreaterThan(20);
      const specs = scenario.implementations.map((i) => (typeof i === 'string' ? i : i.use));
      expect(specs, f).toContain('robust');
      const references = scenario.implementations.filter((i) => typeof i !== 'string' && i.expectFailure);
      expect(references.length, f).toBe(1);
    }
  });

  it.each(files)('%s: the robust core passes', (file) => {
    const r = resultOf(file, true);
    expect(r.verdict, `${r.summary}\n${r.findings.map((f) => f.message).join('\n')}`).toBe('PASS');
  });

  it.each(files)('%s: the reference fails as in the field (XFAIL with the declared finding)', (file) => {
    const r = resultOf(file, false);
    expect(r.verdict, r.summary).toBe('XFAIL');
    for (const code of r.expectedFailure!.findings) expect(r.findings.map((f) => f.code)).toContain(code);
  });

  it('the whole run is OK, so `npm start` exits 0', () => {
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ FAIL: 0, XPASS: 0, ERROR: 0 });
  });
});

describe('determinism', () => {
  it.each(['two-concurrent-runs.json', 'e1064-not-retried.json', 'two-runs-enroll-same-patient.json'])('%s: a race scenario gives the same findings on every run', async (file) => {
    const again = await runScenarios([`scenarios/${file}`]);
    for (const r of again.results) {
      const first = report.results.find((x) => x.file === r.file && x.implementation === r.implementation)!;
      expect(r.verdict).toBe(first.verdict);
      // messages quote (and clip) errors naming the gateway's port and context path, which differ
      // per run: compare the finding and the story up to the quoted error
      const text = (x: ScenarioResult) => x.findings.map((f) => `${f.code} ${f.message.replace(/127\.0\.0\.1:\d+\/g\d+-/g, 'host/').split(' (fail')[0]}`);
      expect(text(r)).toEqual(text(first));
      expect(r.run!.interleaving).toEqual(first.run!.interleaving);
    }
  });
});
