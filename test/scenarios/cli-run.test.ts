/**
 * `dhis2-harness run` (issue item 3): exit code 0 only when every expectation holds, reports on
 * request, a directory as argument (what `npm start` passes), usage errors as exit code 2 with one
 * line on stderr (issue 12: a missing module or folder is not one failed row per scenario).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'scn-cli-'));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => (err.push(String(c)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('dhis2-harness run', () => {
  it('runs a scenario, prints the table and writes JSON, JUnit and HTML reports (exit 0)', async () => {
    const json = path.join(dir, 'out', 'report.json');
    const junit = path.join(dir, 'out', 'junit.xml');
    const html = path.join(dir, 'out', 'report.html');
    const r = await cli(['run', 'scenarios/two-concurrent-runs.json', '--json', json, '--junit', junit, '--html', html]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/scenario\s+implementation\s+verdict\s+operations\s+requests\s+time/);
    expect(r.out).toMatch(/two-concurrent-runs\s+robust\s+PASS/);
    expect(r.out).toMatch(/two-concurrent-runs\s+reference:naiveSearchThenCreate\s+XFAIL/);
    expect(r.out).toMatch(/OK: 1 scenario file\(s\), 2 run\(s\): 1 passed, 1 failed as in the field \(expected\), 0 failed/);
    // progress while it runs (stderr is not a TTY here: one line per run)
    expect(r.err).toMatch(/\[1\/2\] two-concurrent-runs × robust: PASS/);
    const data = JSON.parse(readFileSync(json, 'utf8'));
    expect(data).toMatchObject({ format: 'dhis2-harness/run-report@1', ok: true, counts: { PASS: 1, XFAIL: 1 } });
    expect(data.results[1].findings[0].code).toBe('DUPLICATE');
    expect(data.results[1].operationsLog[0].requests.length).toBeGreaterThan(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites name="dhis2-harness run" tests="2" failures="0" errors="0"/);
    expect(existsSync(html)).toBe(true);
  });

  it('exit 1 when an expectation fails, with the finding and the replay command', async () => {
    const file = path.join(dir, 'wrong.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: 'expects the impossible',
        description: 'd',
        seenIn: 's',
        records: { ama: { orgUnit: 'ngelehun', match: 'nationalId', attributes: { nationalId: 'NID-9', firstName: 'Ama' } } },
        implementations: ['robust'],
        operations: [{ upsert: 'ama' }],
        expect: { final: [{ record: 'ama', count: 2 }] },
      }),
    );
    const r = await cli(['run', file, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL wrong × robust: FINAL_STATE/);
    expect(r.out).toMatch(new RegExp(`replay: npx dhis2-harness run ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} --implementation robust --html wrong.html`));
    expect(r.out).toMatch(/FAILED: 1 scenario file\(s\), 1 run\(s\): 0 passed, 0 failed as in the field \(expected\), 1 failed/);
  });

  it('an invalid scenario file is a usage error: exit 2, one line naming the file, the JSON path and the problem, nothing run', async () => {
    const file = path.join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ title: 'x' }));
    const r = await cli(['run', file, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^dhis2-harness run: invalid scenario file: .*invalid\.json: description: required/);
  });

  it('--impl replaces the implementations; a directory runs every *.json in it', async () => {
    const sub = path.join(dir, 'lib');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(sub, { recursive: true });
    copyFileSync('scenarios/tracker-import-without-uid-twice.json', path.join(sub, 'a.json'));
    copyFileSync('scenarios/scenario.schema.json', path.join(sub, 'scenario.schema.json'));
    const r = await cli(['run', sub, '--impl', 'robust', '--quiet']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 scenario file\(s\), 1 run\(s\): 1 passed/);
  });

  it.each([
    ['a path that does not exist', () => [path.join(dir, 'nope.json')], /^dhis2-harness run: .*nope\.json: no such file or directory$/],
    ['a bad --implementation', () => ['scenarios/two-concurrent-runs.json', '--implementation', 'fastest'], /^dhis2-harness run: --implementation takes robust, a reference \(naiveSearchThenCreate or reference:<name>\), module:<path> or exec:<command>, not 'fastest'\.$/],
    ['an unknown reference', () => ['scenarios/two-concurrent-runs.json', '--impl', 'reference:nope'], /^dhis2-harness run: Unknown reference "nope"/],
    ['a --module file that does not exist', () => ['scenarios', '--module', path.join(dir, 'missing.mjs')], /^dhis2-harness run: No module at .*missing\.mjs/],
    ['an --exec program that does not exist', () => ['scenarios', '--exec', 'pyhton3 upsert.py'], /^dhis2-harness run: --exec: 'pyhton3' is not a program on this machine/],
    ['a --module without a function', () => (writeFileSync(path.join(dir, 'empty.mjs'), 'export const x = 1;\n'), ['scenarios', '--module', path.join(dir, 'empty.mjs')]), /has no function to verify/],
  ])('usage error (%s): exit 2, one line on stderr, no table', async (_name, args, message) => {
    const r = await cli(['run', ...args(), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('without arguments in a project that has no scenarios/ folder: exit 2 and where the library is', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'scn-empty-'));
    const cwd = process.cwd();
    process.chdir(empty);
    try {
      const r = await cli(['run', '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^dhis2-harness run: scenarios: no such file or directory \(without arguments, run reads \.\/scenarios; .*node_modules\/dhis2-upsert-harness\/scenarios/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('--impl is an alias of --implementation, and a reference may be named bare', async () => {
    const r = await cli(['run', 'scenarios/tracker-import-without-uid-twice.json', '--impl', 'robust', '--implementation', 'trackerNoUid', '--quiet']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/tracker-import-without-uid-twice\s+robust\s+PASS/);
    // a bare name is the reference spec, so the scenario's expectFailure applies: XFAIL, not FAIL
    expect(r.out).toMatch(/tracker-import-without-uid-twice\s+reference:trackerNoUid\s+XFAIL/);
  });
});
