import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { docBlock } from '../docs/doc-blocks.js';
import { announceSeed } from '../properties/fc-config.js';

const seed = announceSeed('cli-verify');
const fixtures = fileURLToPath(new URL('../fixtures/implementations/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'harness-cli-'));

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

/** `dhis2-harness verify …` in-process; returns the exit code. */
const verify = (...args: string[]) => main(['verify', ...args]);

/** The arguments of the printed `npx dhis2-harness verify …` replay command (it runs as pasted). */
function replayArgs(text: string): string[] {
  const line = text.split('\n').find((l) => l.trim().startsWith('npx dhis2-harness verify --') && l.includes('--seed'))!;
  return line.trim().replace(/^npx dhis2-harness verify /, '').split(/\s+/).map((a) => a.replace(/^'(.*)'$/, '$1'));
}

describe('dhis2-harness verify (the issue\'s "done when")', () => {
  it('--module <naive search-then-create>: DUPLICATE with a two-operation counterexample, and the printed command replays it', async () => {
    const save = join(dir, 'module.json');
    const code = await verify('--module', join(fixtures, 'naive-search-then-create.mjs'), '--seed', String(seed), '--runs', '100', '--concurrent-runs', '0', '--save', save);
    expect(code).toBe(1);
    expect(out).toContain('✘ FAIL: DUPLICATE');
    expect(out).toMatch(/Smallest counterexample \(scheduled run\): .*, 2 op\(s\) by 2 client\(s\) in 1 round\(s\)/);
    // legacy-only: DHIS2 2.42 has no /api/trackedEntityInstances, so it is left out, with the reason
    expect(out).toMatch(/not applicable: DHIS2 2\.42: it calls GET \/api\/trackedEntityInstances, which DHIS2 2\.42 does not have \(HTTP 404\)/);
    const first = out;
    const saved = JSON.parse(readFileSync(save, 'utf8'));
    expect(saved.workload.rounds).toHaveLength(1);
    expect(saved.workload.rounds[0]).toHaveLength(2);

    out = '';
    expect(await verify(...replayArgs(first), '--no-save')).toBe(1);
    const story = (text: string) => text.split('Operations')[1].split('Replay')[0];
    expect(story(out)).toBe(story(first));

    out = '';
    expect(await verify('--replay', save)).toBe(1);
    expect(out).toContain('✘ FAIL: DUPLICATE');
    expect(out.split('Findings')[1].split('Journal')[0]).toBe(first.split('Findings')[1].split('Journal')[0]);
  });

  it('--exec <shell script with curl>: DUPLICATE with a two-operation counterexample that replays from the saved file', async () => {
    const save = join(dir, 'exec.json');
    const args = ['--seed', String(seed), '--runs', '12', '--concurrent-runs', '0', '--max-keys', '1', '--max-rounds', '1', '--max-ops', '2', '--no-faults', '--no-preexisting', '--no-other-writers', '--no-key-variants', '--versions', '2.40', '--uniqueness', 'racy'];
    const code = await verify('--exec', join(fixtures, 'naive.sh'), ...args, '--save', save);
    if (process.env.HDEBUG) console.log(out);
    expect(code).toBe(1);
    expect(out).toContain('✘ FAIL: DUPLICATE');
    expect(out).toMatch(/2 op\(s\) by 2 client\(s\) in 1 round\(s\)/);
    expect(out).toContain('--exec');
    out = '';
    expect(await verify('--replay', save)).toBe(1);
    expect(out).toContain('DUPLICATE');
  });

  it('--implementation robust passes, and --json is machine-readable', async () => {
    const code = await verify('--implementation', 'robust', '--seed', String(seed), '--runs', '15', '--concurrent-runs', '2', '--full-records', '--no-faults', '--json', '--no-save');
    const report = JSON.parse(out);
    expect({ code, ok: report.ok, verdict: report.verdict }).toEqual({ code: 0, ok: true, verdict: 'PASS' });
    // 15 scheduled + 2 concurrent, after one probe per default version
    expect(report.runs).toBe(17 + report.constraints.dhis2Versions.length + report.notApplicable.length);
    expect(report.coverage.runs).toBe(17);
  });

  it.each([
    ['no target', [], /exactly one of --module/],
    ['two targets', ['--module', 'a.mjs', '--exec', 'true'], /exactly one of --module/],
    ['a bad uniqueness mode', ['--exec', 'true', '--uniqueness', 'sometimes'], /--uniqueness takes racy, atomic or off/],
    ['an unknown built-in', ['--implementation', 'nope'], /No built-in implementation 'nope'/],
    ['a --module file that does not exist', ['--module', join(dir, 'missing.mjs')], /No module at .*missing\.mjs/],
    ['an --exec program that does not exist', ['--exec', 'pyhton3 upsert.py'], /--exec: 'pyhton3' is not a program on this machine/],
  ])('usage error (%s) → exit 2 with one line on stderr', async (_n, args, message) => {
    expect(await verify(...(args as string[]))).toBe(2);
    expect(err).toMatch(new RegExp(`^dhis2-harness verify: .*${message.source}`));
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(out).toBe('');
  });

  it('DHIS2_HARNESS_SEED and DHIS2_HARNESS_TIME_LIMIT stand in for --seed and --time-limit; the flags win; a bad value is a usage error', async () => {
    vi.stubEnv('DHIS2_HARNESS_SEED', String(seed));
    vi.stubEnv('DHIS2_HARNESS_TIME_LIMIT', '30');
    try {
      expect(await verify('--implementation', 'robust', '--runs', '3', '--concurrent-runs', '0', '--no-faults', '--json', '--no-save')).toBe(0);
      expect(JSON.parse(out).seed).toBe(seed);
      out = '';
      expect(await verify('--implementation', 'robust', '--seed', String(seed + 1), '--runs', '3', '--concurrent-runs', '0', '--no-faults', '--json', '--no-save')).toBe(0);
      expect(JSON.parse(out).seed).toBe(seed + 1);
      out = '';
      vi.stubEnv('DHIS2_HARNESS_TIME_LIMIT', 'soon');
      expect(await verify('--implementation', 'robust', '--runs', '3', '--no-save')).toBe(2);
      expect(err).toMatch(/^dhis2-harness verify: DHIS2_HARNESS_TIME_LIMIT must be a non-negative integer, got 'soon'/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('the saved counterexample replays with the printed `npx dhis2-harness verify --replay FILE`', async () => {
    const save = join(dir, 'replay-line.json');
    expect(await verify('--implementation', 'reference:naiveSearchThenCreate', '--seed', String(seed), '--concurrent-runs', '0', '--save', save)).toBe(1);
    expect(out).toContain(`npx dhis2-harness verify --replay ${save}`);
  });
});

describe('dhis2-harness verify --with-events', () => {
  it('the command of docs/verify.md finds a job that enrolls on every run: DUPLICATE_ENROLLMENT, shrunk to two job runs', async () => {
    const args = docBlock('verify-with-events').code.trim().replace(/^npx dhis2-harness verify /, '').split(/\s+/);
    const code = await verify(...args, '--save', join(dir, 'events.json'));
    expect(code).toBe(1);
    expect(out).toContain('✘ FAIL: DUPLICATE_ENROLLMENT');
    expect(out).toMatch(/Smallest counterexample \(scheduled run\): .*, 2 op\(s\) by 2 client\(s\) in 1 round\(s\), .*with enrollments and events/);
  }, 120_000);
});
