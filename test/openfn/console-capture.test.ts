/**
 * The adaptor's console output is captured per operation: concurrent operations in one process
 * keep their own lines (AsyncLocalStorage), nothing reaches the terminal unless asked (`echo`), and
 * console output outside any operation is untouched.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HarnessRecord, UpsertContext } from '../../src/harness/types.js';
import { captureConsole, fromOpenFn } from '../../src/openfn/index.js';
import { execute, fn } from './openfn-packages.js';

// installed before the first capture, so the capture wraps the spy: what reaches it reached the terminal
const terminal = vi.spyOn(console, 'log').mockImplementation(() => {});
const terminalError = vi.spyOn(console, 'error').mockImplementation(() => {});

const record: HarnessRecord = { trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', matchAttribute: 'lZGmxYbs97q', attributes: [{ attribute: 'lZGmxYbs97q', value: 'K' }] };

/** Two steps that log around awaits, with a hand-made gate so the two operations interleave. */
function chattyJob(name: string, gate: { open: Promise<void>; arrived: () => void }) {
  return [
    fn(async (state) => {
      console.log(`${name} step 1`);
      gate.arrived();
      await gate.open;
      console.error(`${name} step 2`, { n: 1 });
      return state;
    }),
    fn(async (state) => {
      await new Promise((r) => setImmediate(r));
      console.log(`${name} step 3\nsecond line`);
      return { ...state, data: { uid: 'G0wYYhBIqZs' } };
    }),
  ];
}

describe('console capture', () => {
  it('two operations at once keep their own lines, in their own order', async () => {
    let arrivals = 0;
    let release!: () => void;
    const open = new Promise<void>((r) => (release = r));
    const gate = { open, arrived: () => ++arrivals === 2 && release() };
    const impl = fromOpenFn(execute, (_r, ctx) => chattyJob(String(ctx.client), gate));
    const ctxOf = (client: number): UpsertContext & { logs: string[] } => {
      const logs: string[] = [];
      return { baseUrl: 'http://127.0.0.1:9', username: 'u', password: 'p', client, log: (l) => logs.push(l), logs };
    };
    const a = ctxOf(1);
    const b = ctxOf(2);
    await Promise.all([impl(record, a), impl(record, b)]);
    for (const [c, name] of [[a, '1'], [b, '2']] as const) {
      expect(c.logs).toEqual([`${name} step 1`, `${name} step 2 { n: 1 }`, `${name} step 3`, 'second line']);
    }
    expect(terminal).not.toHaveBeenCalled();
    expect(terminalError).not.toHaveBeenCalled();
  });

  it('echo: true also prints the lines', async () => {
    terminal.mockClear();
    const logs: string[] = [];
    await fromOpenFn(execute, () => fn((s) => (console.log('visible'), s)), { echo: true })(record, { baseUrl: 'http://x', username: 'u', password: 'p', log: (l) => logs.push(l) });
    expect(logs[0]).toBe('visible');
    expect(terminal).toHaveBeenCalledWith('visible');
  });

  it('outside an operation the console works as before', () => {
    terminal.mockClear();
    captureConsole(() => {}, false, () => undefined);
    console.log('plain');
    expect(terminal).toHaveBeenCalledWith('plain');
  });

  it('without ctx.log the lines are dropped, not printed', async () => {
    terminal.mockClear();
    await fromOpenFn(execute, () => fn((s) => (console.log('quiet'), s)))(record, { baseUrl: 'http://x', username: 'u', password: 'p' });
    expect(terminal).not.toHaveBeenCalled();
  });
});
