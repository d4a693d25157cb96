/**
 * The harness context's new fields (dhis2Version, client, log) and the per-operation log: bounded,
 * attached to the operation, shown under it in the text reports.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { MAX_LOG_BYTES, MAX_LOG_LINES, OpLogBuffer } from '../../src/harness/op-logs.js';
import { LOG_LINES_SHOWN, logLines } from '../../src/harness/report.js';
import { renderJson } from '../../src/harness/report/json.js';
import type { ScenarioOp } from '../../src/harness/scenario/histories.js';
import { runScenarios } from '../../src/harness/scenario/run-scenarios.js';

const fixtures = fileURLToPath(new URL('../fixtures/implementations/', import.meta.url));

describe('OpLogBuffer keeps the last lines, bounded', () => {
  it(`keeps at most ${MAX_LOG_LINES} lines and says how many it dropped`, () => {
    const b = new OpLogBuffer();
    for (let i = 0; i < MAX_LOG_LINES + 7; i++) b.push(`l${i}`);
    const lines = b.lines()!;
    expect(lines[0]).toBe('… 7 earlier line(s) dropped');
    expect(lines.slice(1)).toHaveLength(MAX_LOG_LINES);
    expect(lines.at(-1)).toBe(`l${MAX_LOG_LINES + 6}`);
  });

  it(`keeps at most ${MAX_LOG_BYTES} characters, clips one huge line, splits multi-line text`, () => {
    const b = new OpLogBuffer();
    b.push('a\r\nb\n');
    expect(b.lines()).toEqual(['a', 'b']);
    for (let i = 0; i < 20; i++) b.push('x'.repeat(1500));
    expect(b.lines()!.slice(1).join('').length).toBeLessThanOrEqual(MAX_LOG_BYTES);
    b.push('y'.repeat(100_000));
    expect(b.lines()!.at(-1)!.length).toBe(2000);
  });

  it('ignores lines after the operation completed', () => {
    const b = new OpLogBuffer();
    b.push('during');
    expect(b.close()).toEqual(['during']);
    b.push('after');
    expect(b.lines()).toEqual(['during']);
  });

  it('logLines shows the last lines under an operation, and how many more the JSON has', () => {
    const logs = Array.from({ length: LOG_LINES_SHOWN + 3 }, (_, i) => `m${i}`);
    const shown = logLines({ logs });
    expect(shown[0]).toBe('        │ … 3 earlier line(s) (3 in --json)');
    expect(logLines({ logs: ['… 5 earlier line(s) dropped', 'a'] })).toEqual(['        │ … 5 earlier line(s)', '        │ a']);
    expect(shown.at(-1)).toBe(`        │ m${LOG_LINES_SHOWN + 2}`);
    expect(logLines({})).toEqual([]);
  });
});

describe('invokeOperation fills the context (scenario runs)', () => {
  it('ctx.dhis2Version is the scenario\'s, ctx.client is one per lane, ctx.log lands on the operation (and in --json)', async () => {
    const report = await runScenarios(['scenarios/two-concurrent-runs.json'], { implementations: [`module:${path.join(fixtures, 'ctx-probe.mjs')}`] });
    const r = report.results[0];
    const main = r.run!.ops.filter((o) => o.phase === 'main') as ScenarioOp[];
    expect(main.length).toBe(2);
    const first = (o: ScenarioOp) => o.logs!.find((l) => l.startsWith('version='));
    const clients = main.map((o) => /client=(\d+)/.exec(first(o)!)![1]);
    expect(new Set(clients).size).toBe(2);
    expect(first(main[0])).toMatch(/^version=2\.\d\d client=\d$/);
    // 252 lines were logged: the oldest are dropped, the newest kept
    expect(main[0].logs![0]).toMatch(/^… \d+ earlier line\(s\) dropped$/);
    expect(main[0].logs!.slice(-2)).toEqual(['multi', 'line']);
    const json = JSON.parse(renderJson(report));
    expect(json.results[0].operationsLog[0].logs.at(-1)).toBe('line');
  });
});

describe('verify: logs under each operation of the story', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('the text report shows an operation\'s last log lines under it', async () => {
    const code = await main(['verify', '--module', path.join(fixtures, 'ctx-probe.mjs'), '--seed', '7', '--runs', '12', '--concurrent-runs', '0', '--max-keys', '1', '--max-rounds', '1', '--max-ops', '2', '--no-faults', '--no-preexisting', '--versions', '2.40', '--uniqueness', 'racy', '--no-save']);
    expect(code).toBe(1);
    const story = out.split('Operations')[1].split('Interleaving')[0];
    expect(story).toMatch(/op0 .*\n {8}ok[^\n]*\n {8}│ … \d+ earlier line\(s\) \(\d+ in --json\)\n( {8}│ line \d+\n)+ {8}│ version=\S+ client=\S+\n {8}│ multi\n {8}│ line\n/);
  });
});
