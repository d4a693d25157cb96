import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/checker/index.js';
import { runWorkload } from '../../src/harness/runner.js';
import type { FaultKind, Workload } from '../../src/harness/types.js';
import naive from '../fixtures/implementations/naive-search-then-create.mjs';

const A = { key: 0, orgUnit: 'home' as const, firstName: 'Ama' };
const twoConcurrent: Workload = { dhis2Version: '2.40', uniqueness: 'racy', keyKind: 'unique', preexisting: [], rounds: [[A, A]], faults: [] };

describe('runner: scheduled interleavings over real HTTP are exact', () => {
  it('both searches before either commit: the racy window lets both creates through (DUPLICATE)', async () => {
    const { history, stalls } = await runWorkload(naive, twoConcurrent, { mode: 'scheduled', scheduler: fc.schedulerFor([1, 2, 3, 4, 5, 6, 7]), seed: 1 });
    expect(stalls).toBe(0);
    expect(history.interleaving).toEqual([
      'op0 GET /api/trackedEntityInstances',
      'op1 GET /api/trackedEntityInstances',
      'op0 POST /api/trackedEntityInstances',
      'op1 POST /api/trackedEntityInstances',
      'op0 commit window legacy [NID-0]',
      'op1 commit window legacy [NID-0]',
      'op2 GET /api/trackedEntityInstances',
    ]);
    expect(history.ops.map((o) => o.commits.map((c) => c.operation))).toEqual([['create'], ['create'], []]);
    expect(checkHistory(history).map((f) => f.code)).toContain('DUPLICATE');
  });

  it('one after the other: the second run finds the first entity and updates it (no finding)', async () => {
    const { history } = await runWorkload(naive, twoConcurrent, { mode: 'scheduled', scheduler: fc.schedulerFor([1, 3, 4, 2, 5, 6, 7, 8, 9]), seed: 1 });
    expect(history.ops.map((o) => o.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(new Set(history.ops.map((o) => o.uid)).size).toBe(1);
    expect(checkHistory(history)).toEqual([]);
  });

  it('an interleaving that does not fit the run fails fast with SCHEDULER_DIVERGED', async () => {
    await expect(runWorkload(naive, twoConcurrent, { mode: 'scheduled', scheduler: fc.schedulerFor([1, 5]), seed: 1 })).rejects.toMatchObject({ code: 'SCHEDULER_DIVERGED' });
  });

  it('the same scheduler value replays the same run', async () => {
    const [s1, s2] = [0, 1].map(() => fc.sample(fc.scheduler(), { seed: 99, numRuns: 1 })[0]);
    const a = await runWorkload(naive, twoConcurrent, { mode: 'scheduled', scheduler: s1, seed: 5 });
    const b = await runWorkload(naive, twoConcurrent, { mode: 'scheduled', scheduler: s2, seed: 5 });
    expect(b.history.interleaving).toEqual(a.history.interleaving);
    expect(b.history.snapshots).toEqual(a.history.snapshots);
  });

  it('pre-existing entities are loaded before the run, ambiguous keys get no heal operation', async () => {
    const w: Workload = { ...twoConcurrent, rounds: [[A]], preexisting: [{ key: 0, orgUnit: 'elsewhere', copies: 2, firstName: 'Dauda' }] };
    const { history } = await runWorkload(naive, w, { mode: 'scheduled', scheduler: fc.schedulerFor([1]), seed: 1 });
    expect(history.snapshots.initial.filter((e) => e.attributes.lZGmxYbs97q === 'NID-0')).toHaveLength(2);
    expect(history.ops.map((o) => o.phase)).toEqual(['main']);
    expect(history.ops[0].outcome).toBe('unknown');
    expect(checkHistory(history)).toEqual([]);
  });
});

describe('runner: gateway faults (the fault plan stops before the heal phase)', () => {
  it.each<[string, FaultKind, number, boolean]>([
    ['reset before forwarding: nothing committed, connection reset', 'reset-before', 0, false],
    ['503 before forwarding: nothing committed', 'unavailable-before', 503, false],
    ['502 after the commit: committed, answer lost', 'bad-gateway-after', 502, true],
    ['reset after the commit: committed, answer lost', 'reset-after', 0, true],
  ])('%s', async (_name, kind, status, committed) => {
    const w: Workload = { ...twoConcurrent, rounds: [[A]], faults: [{ op: 0, request: 1, kind }] };
    const { history } = await runWorkload(naive, w, { mode: 'scheduled', scheduler: fc.sample(fc.scheduler(), { seed: 1, numRuns: 1 })[0], seed: 1 });
    const [main, heal] = history.ops;
    expect(main.requests[1]).toMatchObject({ method: 'POST', fault: kind, status });
    expect(main.outcome).toBe('unknown');
    expect(main.commits.length > 0).toBe(committed);
    expect(heal.requests.every((r) => r.fault === undefined)).toBe(true);
    expect(heal.outcome).toBe('ok');
    expect(checkHistory(history)).toEqual([]);
  });
});

describe('runner: real concurrency', () => {
  it('runs a round concurrently and still records a complete history', async () => {
    const w: Workload = { ...twoConcurrent, uniqueness: 'atomic', rounds: [[A, A], [A]] };
    const { history } = await runWorkload(naive, w, { mode: 'concurrent', seed: 3 });
    expect(history.interleaving).toEqual([]);
    expect(history.ops).toHaveLength(4);
    expect(history.ops.every((o) => Number.isFinite(o.complete) && o.complete > o.invoke)).toBe(true);
    // atomic uniqueness: never two entities, whatever the timing
    expect(history.snapshots.final.filter((e) => !e.deleted && e.attributes.lZGmxYbs97q === 'NID-0')).toHaveLength(1);
  });
});
