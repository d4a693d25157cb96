/**
 * Benchmarks leave the tree clean (issue 15, item 10): `npm run bench` rewrote the tracked
 * `bench/results/latest.json`, so a user's checkout was dirty after a benchmark. Results now go to
 * `bench/results/`, which git ignores and which holds nothing tracked; the tables of docs/benchmarks.md change
 * only through the explicit `npm run bench:readme`, which rewrites that one section and nothing else.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'dhis2-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' });

describe('bench results (item 10)', () => {
  it('bench/results/ is ignored by git and nothing in it is tracked', () => {
    expect(git('ls-files', 'bench/results')).toBe('');
    for (const name of ['latest.json', 'quick.json', '2030-01-01T00-00-00-000Z.json']) {
      expect(git('check-ignore', '--no-index', `bench/results/${name}`).trim()).toBe(`bench/results/${name}`);
    }
  });

  it('package.json: `npm run bench` does not touch the README; `npm run bench:readme` does', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.bench).not.toMatch(/readme/i);
    expect(scripts['bench:readme']).toBe('node bench/readme.js');
  });

  it('bench:readme replaces the README\'s bench section from a results file, and only that section', () => {
    const readme = readFileSync('docs/benchmarks.md', 'utf8');
    const start = readme.indexOf('<!-- bench:results:start -->');
    const end = readme.indexOf('<!-- bench:results:end -->');
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const copy = join(dir, 'README.md');
    writeFileSync(copy, readme);
    const results = join(dir, 'latest.json');
    const markdown = '| Scenario | req/s |\n| --- | --- |\n| test row | 1 |';
    writeFileSync(results, JSON.stringify({ markdown, machine: { summary: 'Machine: test box' }, durationS: 12.3, startedAt: '2030-01-02T03:04:05.000Z' }));
    const out = execFileSync(process.execPath, ['bench/readme.js', results, copy], { encoding: 'utf8' });
    expect(out).toContain(copy);
    const updated = readFileSync(copy, 'utf8');
    expect(updated.slice(0, start)).toBe(readme.slice(0, start));
    expect(updated.slice(updated.indexOf('<!-- bench:results:end -->'))).toBe(readme.slice(end));
    const section = updated.slice(start, updated.indexOf('<!-- bench:results:end -->'));
    expect(section).toContain(markdown);
    expect(section).toContain('Machine: test box; 12 s in all (2030-01-02)');
    // idempotent: a second run changes nothing
    execFileSync(process.execPath, ['bench/readme.js', results, copy]);
    expect(readFileSync(copy, 'utf8')).toBe(updated);
  });

  it('bench:readme without results says how to get them (exit 2), and leaves the README alone', () => {
    const copy = join(dir, 'README-untouched.md');
    writeFileSync(copy, 'x');
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, ['bench/readme.js', join(dir, 'missing.json'), copy], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failure = e as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toMatch(/npm run bench/);
    expect(readFileSync(copy, 'utf8')).toBe('x');
  });
});
