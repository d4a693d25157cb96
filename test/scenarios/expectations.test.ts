/**
 * Scenario expectations and verdicts: each kind of expectation can fail, and an implementation
 * declared to fail must fail with exactly the declared finding (XFAIL), not pass (XPASS) and not
 * fail otherwise (FAIL).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarios } from '../../src/harness/scenario/run-scenarios.js';

const dir = mkdtempSync(path.join(tmpdir(), 'scn-expect-'));
let n = 0;

function scenario(extra: Record<string, unknown>): string {
  const file = path.join(dir, `s${n++}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      title: 'expectation test',
      description: 'One upsert of one record.',
      seenIn: 'test',
      dhis2Version: '2.40',
      records: { ama: { orgUnit: 'ngelehun', match: 'nationalId', attributes: { nationalId: 'NID-77', firstName: 'Ama' } } },
      implementations: ['robust'],
      operations: [{ upsert: 'ama' }],
      ...extra,
    }),
  );
  return file;
}

async function only(file: string) {
  const report = await runScenarios([file]);
  expect(report.results).toHaveLength(1);
  return { report, r: report.results[0] };
}

describe('each expectation can fail', () => {
  it.each([
    ['an operation expected to fail', { operations: [{ upsert: 'ama', expect: { outcome: 'fail', error: 'AMBIGUOUS_MATCH' } }] }, 'UNEXPECTED_OUTCOME', /expected outcome fail with AMBIGUOUS_MATCH, but succeeded/],
    ['a final entity count', { expect: { final: [{ record: 'ama', count: 2 }] } }, 'FINAL_STATE', /1 live entities carry it .*expected 2/],
    ['a final attribute value', { expect: { final: [{ record: 'ama', attributes: { firstName: 'Bintu', phone: null } }] } }, 'FINAL_STATE', /firstName="Ama" \(expected "Bintu"\)/],
    ['a request bound per operation', { expect: { requests: { perOperation: { max: 1 } } } }, 'REQUEST_BOUND', /op0 "ama" sent: \d+ request\(s\), expected at most 1/],
    ['a write bound', { expect: { requests: { writes: 0 } } }, 'REQUEST_BOUND', /writes.*1 request\(s\), expected exactly 0/],
    ['a journal count', { expect: { journal: [{ fact: 'count', type: 'commit', operation: 'create', count: { min: 2 } }] } }, 'JOURNAL_FACT', /1 "commit create" entry, expected at least 2/],
  ])('%s', async (_name, extra, code, message) => {
    const { r, report } = await only(scenario(extra));
    expect(r.verdict).toBe('FAIL');
    expect(report.ok).toBe(false);
    const hit = r.findings.find((f) => f.code === code);
    expect(hit, r.summary).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('the same expectations hold when they are right', async () => {
    const { r } = await only(
      scenario({
        operations: [{ upsert: 'ama', expect: 'ok' }],
        expect: {
          final: [{ record: 'ama', count: 1, attributes: { firstName: 'Ama', phone: null } }],
          requests: { perOperation: { max: 8 }, writes: { min: 1, max: 1 } },
          journal: [{ fact: 'count', type: 'commit', operation: 'create', count: 1 }, { fact: 'retryAfter', status: 429, minMs: 1000 }],
        },
      }),
    );
    expect(r.verdict, r.summary).toBe('PASS');
    expect(r.ok).toBe(true);
  });
});

describe('verdicts', () => {
  it('XPASS: declared to fail, but every expectation held (the scenario no longer reproduces the bug)', async () => {
    const { r, report } = await only(scenario({ implementations: [{ use: 'robust', expectFailure: { finding: 'DUPLICATE' } }] }));
    expect(r.verdict).toBe('XPASS');
    expect(report.ok).toBe(false);
  });

  it('FAIL: declared to fail with one finding, failed with another', async () => {
    const { r } = await only(
      scenario({ operations: [{ upsert: 'ama', times: 2 }], implementations: [{ use: 'reference:trackerNoUid', expectFailure: { finding: 'LOST_ATTRIBUTE' } }] }),
    );
    expect(r.verdict).toBe('FAIL');
    expect(r.summary).toMatch(/expected LOST_ATTRIBUTE but got/);
  });

  it('XFAIL: declared to fail with the finding it produces', async () => {
    const { r, report } = await only(
      scenario({ operations: [{ upsert: 'ama', times: 2, expect: 'ok' }], implementations: [{ use: 'reference:trackerNoUid', expectFailure: { finding: 'UNEXPECTED_OUTCOME' } }] }),
    );
    expect(r.verdict).toBe('XFAIL');
    expect(report.ok).toBe(true);
  });

  it('ignored findings do not fail the run but are reported', async () => {
    const { r } = await only(
      scenario({
        records: { sms: { orgUnit: 'ngelehun', match: 'phone', attributes: { phone: '+23276000077', firstName: 'Ama' } } },
        operations: [{ upsert: 'sms', times: 2 }],
        implementations: ['reference:trackerNoUid'],
        expect: { noDuplicates: false, ignore: ['NOT_IDEMPOTENT', 'NON_LINEARIZABLE'] },
      }),
    );
    expect(r.verdict, r.summary).toBe('PASS');
    expect(r.ignored.map((f) => f.code)).toContain('DUPLICATE');
  });

  it('ERROR: an implementation that cannot be loaded', async () => {
    const { r } = await only(scenario({ implementations: ['module:./no-such-module.mjs'] }));
    expect(r.verdict).toBe('ERROR');
    expect(r.summary).toMatch(/no-such-module\.mjs/);
  });

  it('exec: runs in the scenario folder, and a UID on stdout is the answer', async () => {
    writeFileSync(path.join(dir, 'fake.sh'), 'cat >/dev/null\necho AbCdEfGhIj1\n');
    const { r } = await only(scenario({ implementations: ['exec:sh fake.sh'], heal: false, expect: { final: [{ record: 'ama', count: 1 }] } }));
    const op = r.run!.ops[0];
    expect(op.outcome).toBe('ok');
    expect(op.uid).toBe('AbCdEfGhIj1');
    // it reported success and wrote nothing: the final state says so
    expect(r.findings.map((f) => f.code)).toContain('FINAL_STATE');
  });
});

describe('steps and settings', () => {
  it.each(['lockstep', 'random', 'free'])('a concurrent group with interleaving %s, a wait, the restricted user', async (interleaving) => {
    const { r } = await only(
      scenario({
        credentials: { username: 'bo_clerk', password: 'District1!' },
        operations: [{ concurrent: [{ upsert: 'ama', times: 2, expect: 'ok' }], interleaving }, { wait: 5 }, { upsert: 'ama', client: 'later', expect: 'ok' }],
        expect: { final: [{ record: 'ama', count: 1 }] },
      }),
    );
    expect(r.verdict, r.summary).toBe('PASS');
    expect(r.run!.ops.filter((o) => o.phase === 'main').map((o) => o.lane)).toEqual(['run 1', 'run 2', 'later']);
    expect(r.run!.journal.some((e) => e.type === 'request' && e.user === 'bo_clerk')).toBe(true);
  });
});

describe('--impl style overrides', () => {
  it('a listed spec keeps its expectFailure; an unlisted one runs plainly', async () => {
    const file = scenario({ operations: [{ upsert: 'ama', times: 2, expect: 'ok' }], implementations: ['robust', { use: 'reference:trackerNoUid', expectFailure: { finding: 'UNEXPECTED_OUTCOME' } }] });
    const report = await runScenarios([file], { implementations: ['reference:trackerNoUid', 'reference:naiveSearchThenCreate'] });
    expect(report.results.map((r) => [r.implementation, r.verdict])).toEqual([
      ['reference:trackerNoUid', 'XFAIL'],
      ['reference:naiveSearchThenCreate', 'PASS'],
    ]);
  });
});
