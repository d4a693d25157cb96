/**
 * "Not applicable" (issue 12): a scenario whose faults never match a request of the
 * implementation (a legacy client under a /api/tracker fault) says nothing about that
 * implementation, and reads so, with the reason; the same scenario still judges an implementation
 * its faults do hit, and a history finding is never hidden behind "not applicable".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../src/harness/report/junit.js';
import { formatTable } from '../../src/harness/report/table.js';
import { runScenarios } from '../../src/harness/scenario/run-scenarios.js';

const dir = mkdtempSync(path.join(tmpdir(), 'scn-na-'));

/** A lost tracker response: the fault only a client of /api/tracker can meet. */
function trackerDropScenario(name: string, operations: unknown[], implementations: unknown[]): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      title: 'A dropped tracker import response',
      description: 'The tracker import commits, then the connection is reset.',
      seenIn: 'test',
      dhis2Version: '2.40',
      uniqueness: 'racy',
      records: { ama: { orgUnit: 'ngelehun', match: 'nationalId', attributes: { nationalId: 'NID-NA-1', firstName: 'Ama' } } },
      faults: { rules: [{ kind: 'drop-after-commit', method: 'POST', path: '/api/tracker', nth: 1 }] },
      implementations,
      operations,
      expect: { journal: [{ fact: 'count', type: 'fault', kind: 'drop-after-commit', count: 1 }] },
    }),
  );
  return file;
}

describe('a scenario whose faults never match the implementation', () => {
  it('is N/A for a legacy client, with the fault and the routes it did call, and does not fail the run', async () => {
    // naiveSearchThenCreate uses /api/trackedEntityInstances on 2.40: the tracker fault never fires
    const report = await runScenarios([trackerDropScenario('legacy-client', [{ upsert: 'ama', expect: 'ok' }], ['reference:naiveSearchThenCreate'])]);
    const r = report.results[0];
    expect(r.verdict).toBe('N/A');
    expect(r.ok).toBe(true);
    expect(report.ok).toBe(true);
    expect(r.summary).toMatch(/^not applicable: the scenario's fault \(drop-after-commit on POST \/api\/tracker\) never matched a request of this implementation/);
    expect(r.summary).toContain('POST /api/trackedEntityInstances');
    expect(r.summary).not.toMatch(/JOURNAL_FACT/);
    expect(formatTable(report)).toMatch(/N\/A legacy-client × reference:naiveSearchThenCreate: not applicable/);
    expect(formatTable(report)).toMatch(/OK: .*1 not applicable, 0 failed/);
    expect(renderJUnit(report)).toMatch(/<skipped message="not applicable: /);
  });

  it('still judges an implementation the fault does hit (the robust core on the tracker API)', async () => {
    const report = await runScenarios([trackerDropScenario('tracker-client', [{ upsert: 'ama', retries: 1, expect: 'ok' }], ['robust'])]);
    expect(report.results[0].verdict).toBe('PASS');
    expect(report.results[0].run!.faultRules).toEqual([{ rule: 0, kind: 'drop-after-commit', matched: expect.any(Number), injected: 1 }]);
  });

  it('is never N/A when the history has a finding: two racing legacy runs still FAIL with DUPLICATE', async () => {
    const race = [{ concurrent: [{ upsert: 'ama' }, { upsert: 'ama' }] }];
    const report = await runScenarios([trackerDropScenario('legacy-race', race, ['reference:naiveSearchThenCreate'])]);
    const r = report.results[0];
    expect(r.verdict).toBe('FAIL');
    expect(r.findings.map((f) => f.code)).toContain('DUPLICATE');
  });
});
