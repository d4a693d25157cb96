/**
 * Issue 13 part 3: requests the emulator has no handler for are never silent. `run` and `hammer`
 * end with a warning naming each one, and a finding whose operations all failed on one is marked
 * [emulator gap]; a finding the implementation caused on its own is not.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { main } from '../../src/cli.js';
import { formatHammer } from '../../src/cli/hammer.js';
import { formatTable } from '../../src/harness/report/table.js';
import { hammer } from '../../src/harness/scenario/hammer/hammer.js';
import { runScenarios } from '../../src/harness/scenario/run-scenarios.js';
import type { Implementation } from '../../src/harness/types.js';
import { formatUnhandledWarning, markEmulatorGaps, opsFailedOnUnhandled } from '../../src/harness/unhandled.js';
import { implementations } from '../../src/upsert/implementations.js';

const fixtures = fileURLToPath(new URL('../fixtures/implementations/', import.meta.url));
const scenario = 'scenarios/two-concurrent-runs.json';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main(args), out: out.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('run: the unhandled-request warning', () => {
  it('an upsert that stops at GET /api/dataStore/sync/cursor: findings marked [emulator gap], and the warning names the request', async () => {
    const r = await cli(['run', scenario, '--module', path.join(fixtures, 'needs-datastore.mjs'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/⚠ The emulator has no handler for a request the implementation sent/);
    expect(r.out).toMatch(/^ {4}GET \/api\/dataStore\/sync\/cursor {2}\(\d+×, in two-concurrent-runs × module:.*needs-datastore\.mjs\)$/m);
    expect(r.out).toMatch(/The verdict may not reflect DHIS2/);
    expect(r.out).toMatch(/NOT_CONVERGED \[emulator gap\]/);
  });

  it('no warning when every request had a handler', async () => {
    const report = await runScenarios([scenario], { implementations: ['robust'] });
    expect(report.results[0].unhandled).toBeUndefined();
    expect(formatTable(report)).not.toMatch(/no handler/);
  });
});

describe('hammer: the unhandled-request warning (embedded emulator)', () => {
  let mock: MockDhis2;
  let url: string;
  beforeAll(async () => {
    mock = await createMockDhis2({ dhis2Version: '2.40', uniqueness: 'racy', seed: 9, log: () => {} });
    url = await mock.listen(0, '127.0.0.1');
  });
  afterAll(() => mock.close());

  const probeThen = (inner: Implementation): Implementation => async (record, ctx) => {
    const auth = 'Basic ' + Buffer.from(`${ctx.username}:${ctx.password}`).toString('base64');
    await fetch(`${ctx.baseUrl}/api/dataStore/sync/cursor`, { headers: { authorization: auth } }).then((r) => r.text());
    return inner(record, ctx);
  };

  it('a passing upsert that also asked for /api/dataStore/sync/cursor still gets the warning', async () => {
    await mock.admin.reset();
    const r = await hammer({ target: url, username: 'admin', password: 'district', records: 2, concurrency: 2, implementation: probeThen(implementations.robust as Implementation), implementationName: 'probe+robust', unhandled: () => mock.admin.unhandled() });
    expect(r.ok).toBe(true);
    expect(r.unhandled).toEqual([expect.objectContaining({ method: 'GET', path: expect.stringMatching(/\/api\/dataStore\/sync\/cursor$/), count: 4 })]);
    expect(formatHammer(r, false)).toMatch(/⚠ The emulator has no handler for a request[\s\S]*GET \S*\/api\/dataStore\/sync\/cursor {2}\(4×\)/);
  });

  it('a duplicate the implementation causes itself is not marked, although it also met the gap', async () => {
    await mock.admin.reset();
    const createEveryTime: Implementation = async (record, ctx) => {
      const auth = 'Basic ' + Buffer.from(`${ctx.username}:${ctx.password}`).toString('base64');
      const res = await fetch(`${ctx.baseUrl}/api/trackedEntityInstances`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes }) });
      if (!res.ok) throw Object.assign(new Error(`POST answered ${res.status}`), { outcomeUnknown: false });
      return (await res.json()).response.importSummaries[0].reference;
    };
    mock.admin.configure({ uniqueness: 'off' });
    try {
      const r = await hammer({ target: url, username: 'admin', password: 'district', records: 1, concurrency: 2, implementation: probeThen(createEveryTime), implementationName: 'probe+create', unhandled: () => mock.admin.unhandled() });
      expect(r.duplicates).toHaveLength(1);
      expect(r.findings.length).toBeGreaterThan(0);
      expect(r.findings.every((f) => !f.emulatorGap)).toBe(true);
      expect(r.unhandled).toHaveLength(1);
    } finally {
      mock.admin.configure({ uniqueness: 'racy' });
    }
  });
});

describe('markEmulatorGaps: "caused only by such a request"', () => {
  const journalOf = (unhandledLast: boolean) => [
    { type: 'request' as const, seq: 1, at: 0, requestId: 'a', method: 'GET', path: '/api/dataStore/sync/cursor', query: '', bodyBytes: 0, ...(unhandledLast ? {} : { unhandled: true as const }) },
    { type: 'request' as const, seq: 2, at: 0, requestId: 'b', method: 'GET', path: '/api/x', query: '', bodyBytes: 0, ...(unhandledLast ? { unhandled: true as const } : {}) },
  ];
  it.each([
    ['every op failed on an unhandled last request', [{ id: 1, outcome: 'unknown' as const, journal: journalOf(true) }], true],
    ['an op succeeded', [{ id: 1, outcome: 'ok' as const, journal: journalOf(true) }], false],
    ['the unhandled request was not the last one', [{ id: 1, outcome: 'fail' as const, journal: journalOf(false) }], false],
  ])('%s → marked: %s', (_n, ops, marked) => {
    const finding = { ops: [1] as number[], emulatorGap: undefined as boolean | undefined };
    markEmulatorGaps([finding], opsFailedOnUnhandled(ops));
    expect(finding.emulatorGap ?? false).toBe(marked);
  });

  it('formats nothing when there is nothing to say', () => {
    expect(formatUnhandledWarning([])).toEqual([]);
  });
});
