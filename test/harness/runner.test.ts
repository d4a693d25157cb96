import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/checker/index.js';
import { fifoScheduler } from '../../src/harness/fifo-scheduler.js';
import { runWorkload } from '../../src/harness/runner.js';
import type { FaultKind, Workload } from '../../src/harness/types.js';
import naive from '../fixtures/implementations/naive-search-then-create.mjs';

const A = { key: 0, orgUnit: 'home' as const, firstName: 'Ama' };
/** the same record from two job runs (clients) at once */
const B = { ...A, client: 1 };
const twoConcurrent: Workload = { dhis2Version: '2.40', uniqueness: 'racy', keyKind: 'unique', preexisting: [], rounds: [[A, B]], faults: [] };

describe('runner: scheduled interleavings over real HTTP are exact', () => {
  it('both searches before either commit: the racy window lets both creates through (DUPLICATE)', async () => {
    const { history, stalls } = await runWorkload(naive, twoConcurrent, { mode: 'scheduled', scheduler: fc.schedulerFor([1, 2, 3, 4, 5, 6, 7]), seed: 1 });
    expect(stalls).toBe(0);
    expect(history.interleaving).toEqual([
      'op0 GET /api/trackedEntityInstances',
      'op1 GET /api/trackedEntityInstances',
      'op0 POST /api/trackedEntityInstances',
      'op1 POST /api/trackedEntityInstances',
      'op0 commit window legacy [NID-1]',
      'op1 commit window legacy [NID-1]',
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
    expect(history.snapshots.initial.filter((e) => e.attributes.lZGmxYbs97q === 'NID-1')).toHaveLength(2);
    expect(history.ops.map((o) => o.phase)).toEqual(['main']);
    // it refused (an error without outcomeUnknown) and the journal shows no commit: a definite failure
    expect(history.ops[0].outcome).toBe('fail');
    expect(checkHistory(history)).toEqual([]);
  });
});

describe('runner: faults aimed at single requests (injected by the emulator, stopped before the heal phase)', () => {
  it.each<[string, FaultKind, number, boolean, 'fail' | 'unknown']>([
    ['reset before the handler: nothing committed, connection reset', 'reset-before', 0, false, 'fail'],
    ['503 before the handler: nothing committed', 'unavailable', 503, false, 'fail'],
    ['429 with Retry-After: nothing committed', 'rate-limit', 429, false, 'fail'],
    ['502 after the commit: committed, answer lost', 'error-after', 502, true, 'unknown'],
    ['connection closed after the commit: committed, answer lost', 'drop-after', 0, true, 'unknown'],
  ])('%s', async (_name, kind, status, committed, outcome) => {
    const w: Workload = { ...twoConcurrent, rounds: [[A]], faults: [{ op: 0, request: 1, kind }] };
    const { history } = await runWorkload(naive, w, { mode: 'scheduled', scheduler: fc.sample(fc.scheduler(), { seed: 1, numRuns: 1 })[0], seed: 1 });
    const [main, heal] = history.ops;
    expect(main.requests[1]).toMatchObject({ method: 'POST', fault: kind, status });
    // the emulator journaled the fault with whether the request had committed
    expect(main.journal.find((e) => e.type === 'fault')).toMatchObject({ committed });
    expect(main.commits.length > 0).toBe(committed);
    expect(main.applied).toBe(committed);
    // what the error means comes from the journal: nothing committed is a definite failure
    expect(main.outcome).toBe(outcome);
    expect(heal.requests.every((r) => r.fault === undefined)).toBe(true);
    expect(heal.outcome).toBe('ok');
    expect(checkHistory(history)).toEqual([]);
  });

  it('a fault lands on the n-th request its kind applies to: a stale answer on a search, a second delivery on a write', async () => {
    const w: Workload = { ...twoConcurrent, keyKind: 'non-unique', rounds: [[A]], faults: [{ op: 0, request: 0, kind: 'duplicate' }, { op: 0, request: 0, kind: 'stale' }] };
    const { history } = await runWorkload(naive, w, { mode: 'scheduled', scheduler: fc.sample(fc.scheduler(), { seed: 1, numRuns: 1 })[0], seed: 1 });
    const main = history.ops[0];
    expect(main.requests.map((r) => [r.method, r.fault])).toEqual([
      ['GET', 'stale'],
      ['POST', 'duplicate'],
    ]);
    // both deliveries committed (a create without a UID, twice: two entities), both belong to the operation
    expect(main.commits.map((c) => c.operation)).toEqual(['create', 'create']);
    expect(checkHistory(history).map((f) => f.code)).toContain('DUPLICATE');
  });
});

describe('runner: job runs', () => {
  it('the operations of one client run one after another on one base URL; two clients, two URLs', async () => {
    const seen: { client?: number; baseUrl: string }[] = [];
    const spy = async (record: Parameters<typeof naive>[0], ctx: Parameters<typeof naive>[1]) => {
      seen.push({ client: ctx.client, baseUrl: ctx.baseUrl });
      return naive(record, ctx);
    };
    const w: Workload = { ...twoConcurrent, uniqueness: 'atomic', rounds: [[A, A, B]] };
    const { history } = await runWorkload(spy, w, { mode: 'scheduled', scheduler: fc.sample(fc.scheduler(), { seed: 3, numRuns: 1 })[0], seed: 1 });
    const [op0, op1] = [0, 1].map((id) => history.ops.find((o) => o.id === id)!);
    expect([op0.client, op1.client]).toEqual([0, 0]);
    expect(op1.invoke).toBeGreaterThan(op0.complete);
    const urls = (client: number) => new Set(seen.filter((x) => x.client === client).map((x) => x.baseUrl));
    // the heal runs on the client that last sent the key (client 1): two calls on each, one URL each
    expect(seen.map((x) => x.client)).toEqual(expect.arrayContaining([0, 0, 1, 1]));
    expect(seen).toHaveLength(4);
    expect(urls(0).size).toBe(1);
    expect(urls(1).size).toBe(1);
    expect([...urls(0)][0]).not.toBe([...urls(1)][0]);
  });

  it('another system writes on its own lane and is never the implementation', async () => {
    const w: Workload = { ...twoConcurrent, uniqueness: 'atomic', rounds: [[{ ...A, other: true }], [A]] };
    const { history } = await runWorkload(naive, w, { mode: 'scheduled', scheduler: fifoScheduler(), seed: 1 });
    expect(history.ops.map((o) => [o.actor, o.outcome, o.action])).toEqual([
      ['other', 'ok', 'created'],
      ['implementation', 'ok', undefined],
      ['implementation', 'ok', undefined],
    ]);
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
    expect(history.snapshots.final.filter((e) => !e.deleted && e.attributes.lZGmxYbs97q === 'NID-1')).toHaveLength(1);
  });
});
