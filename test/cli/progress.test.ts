/**
 * Progress without a terminal (issue 12: "in CI logs a two-minute verify prints nothing until it
 * ends"): a heartbeat line on stderr at least every 10 s, on a fake clock so no test waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS, Progress } from '../../src/cli/progress.js';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (s: string) => written.push(s) } };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Progress without a TTY', () => {
  it('prints a heartbeat line every 10 s with the count, the detail and the time of the budget', () => {
    const { written, stream } = sink(false);
    const p = new Progress({ command: 'verify', unit: 'runs', limitSeconds: 120, stream });
    p.update(340, '0 findings');
    expect(written).toEqual([]);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(written).toEqual(['verify: 340 runs, 0 findings, 10 s of 120 s\n']);
    p.update(500, '0 findings');
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(written[1]).toBe('verify: 500 runs, 0 findings, 20 s of 120 s\n');
    p.stop();
    vi.advanceTimersByTime(5 * HEARTBEAT_MS);
    expect(written).toHaveLength(2);
  });

  it('a known total reads "N of TOTAL"; log lines are printed at once', () => {
    const { written, stream } = sink(false);
    const p = new Progress({ command: 'run', unit: 'runs done', total: 14, stream });
    p.log('[1/14] two-concurrent-runs × robust: PASS (812 ms)');
    p.update(1, '1 passed');
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(written).toEqual(['[1/14] two-concurrent-runs × robust: PASS (812 ms)\n', 'run: 1 of 14 runs done, 1 passed, 10 s\n']);
    p.stop();
  });

  it('--quiet prints nothing at all', () => {
    const { written, stream } = sink(false);
    const p = new Progress({ command: 'hammer', unit: 'upserts', quiet: true, stream });
    p.update(3);
    p.log('x');
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    p.stop();
    expect(written).toEqual([]);
  });
});

describe('Progress on a TTY', () => {
  it('an open-ended count rewrites one line, and stop() clears it; no heartbeat lines', () => {
    const { written, stream } = sink(true);
    const p = new Progress({ command: 'verify', unit: 'runs', stream });
    p.update(3, '0 findings');
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    p.stop();
    expect(written).toEqual(['\r\x1b[Kverify: 3 runs, 0 findings, 0 s', '\r\x1b[K']);
  });
});
