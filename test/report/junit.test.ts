/** JUnit XML (issue item 3): counts, verdict mapping and escaping of what findings carry. */
import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../src/harness/report/junit.js';
import type { RunReport, ScenarioResult } from '../../src/harness/report/model.js';
import { countVerdicts } from '../../src/harness/report/model.js';

function result(verdict: ScenarioResult['verdict'], extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    file: 'scenarios/x.json', scenario: 'x', title: 't', implementation: 'robust', verdict, ok: verdict === 'PASS' || verdict === 'XFAIL',
    summary: 's', findings: [], ignored: [], operations: 1, requests: 2, durationMs: 1234, replay: 'npx dhis2-harness run scenarios/x.json', ...extra,
  };
}

function report(results: ScenarioResult[]): RunReport {
  return { tool: 'dhis2-harness', version: '0.1.0', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 5000, ok: false, counts: countVerdicts(results), results };
}

describe('renderJUnit', () => {
  const xml = renderJUnit(
    report([
      result('PASS'),
      result('XFAIL', { implementation: 'reference:naive', expectedFailure: { findings: ['DUPLICATE'] }, findings: [{ code: 'DUPLICATE', key: 'K', message: 'two <live> entities & "more"', ops: [0], at: 'final', uids: [], createdBy: [] }] }),
      result('FAIL', { implementation: 'module:a.mjs', summary: 'FINAL_STATE: bad \u0007 bell' }),
      result('XPASS', { implementation: 'reference:fixed' }),
      result('ERROR', { implementation: 'exec:x', error: { name: 'Error', code: 'EXEC_FAILED', message: 'boom' } }),
      result('PASS', { file: 'scenarios/y.json', scenario: 'y' }),
      result('N/A', { file: 'scenarios/y.json', scenario: 'y', implementation: 'module:legacy.mjs', summary: 'not applicable: the fault never matched' }),
    ]),
  );

  it('one testsuite per scenario file, with failure and error counts', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="dhis2-harness run" tests="7" failures="2" errors="1" skipped="1" time="5.000">/);
    expect(xml).toMatch(/<testsuite name="x" file="scenarios\/x.json" tests="5" failures="2" errors="1" skipped="0" time="6.170"/);
    expect(xml).toMatch(/<testsuite name="y" file="scenarios\/y.json" tests="2" failures="0" errors="0" skipped="1"/);
  });

  it.each([
    ['PASS is an empty testcase', /<testcase classname="scenarios.x" name="robust" file="scenarios\/x.json" time="1.234"\/>/],
    ['XFAIL passes and says which bug it reproduced', /name="reference:naive"[^>]*>\n\s+<system-out>expected failure reproduced \(DUPLICATE\)/],
    ['FAIL is a failure typed by its first finding', /name="module:a.mjs"[^>]*>\n\s+<failure message="FINAL_STATE: bad \uFFFD bell" type="FAIL">/],
    ['XPASS is a failure', /name="reference:fixed"[^>]*>\n\s+<failure message="s" type="XPASS">/],
    ['ERROR is an error', /name="exec:x"[^>]*>\n\s+<error message="s" type="EXEC_FAILED">/],
    ['N/A is skipped, with the reason', /name="module:legacy.mjs"[^>]*>\n\s+<skipped message="not applicable: the fault never matched"\/>/],
  ])('%s', (_name, pattern) => {
    expect(xml).toMatch(pattern);
  });

  it('escapes markup and drops control characters XML cannot hold', () => {
    expect(xml).toContain('two &lt;live&gt; entities &amp; &quot;more&quot;');
    expect(xml).not.toMatch(/\u0007/);
  });
});
