/** `--exec-mode` / `--exec-pool` on verify, run and hammer: bad values are usage errors (exit 2). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { parseExecFlags } from '../../src/cli/options.js';

let err = '';
beforeEach(() => {
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('exec flags', () => {
  it.each([
    ['verify: an unknown mode', ['verify', '--exec', 'true', '--exec-mode', 'sometimes'], /--exec-mode takes per-operation or persistent, not 'sometimes'/],
    ['verify: persistent without --exec', ['verify', '--implementation', 'robust', '--exec-mode', 'persistent'], /--exec-mode applies to --exec/],
    ['verify: an empty pool', ['verify', '--exec', 'true', '--exec-mode', 'persistent', '--exec-pool', '0'], /--exec-pool takes 1 to 64/],
    ['run: an unknown mode', ['run', 'scenarios/two-concurrent-runs.json', '--exec-mode', 'fast'], /--exec-mode takes per-operation or persistent/],
    ['hammer: persistent without an exec implementation', ['hammer', '--impl', 'robust', '--exec-mode', 'persistent'], /--exec-mode applies to --exec/],
    ['hammer: a pool that is too large', ['hammer', '--exec', 'true', '--exec-mode', 'persistent', '--exec-pool', '500'], /--exec-pool takes 1 to 64/],
  ])('%s → exit 2 with a message', async (_n, args, message) => {
    expect(await main(args as string[])).toBe(2);
    expect(err).toMatch(message);
  });

  it.each([
    [undefined, undefined, 1, { mode: 'per-operation' }],
    ['persistent', undefined, 1, { mode: 'persistent' }],
    ['persistent', undefined, 12, { mode: 'persistent', poolSize: 12 }],
    ['persistent', undefined, 200, { mode: 'persistent', poolSize: 64 }],
    ['persistent', '3', 12, { mode: 'persistent', poolSize: 3 }],
  ])('parseExecFlags(%s, %s, at least %s) → %o', (mode, pool, min, expected) => {
    expect(parseExecFlags(mode, pool, min)).toEqual(expected);
  });
});
