/**
 * The lockstep policy: the operation that has moved least goes next, ties to the lower operation
 * id, so two upserts alternate step by step, the same way on every run.
 */
import { describe, expect, it } from 'vitest';
import { PolicyScheduler } from '../../src/harness/scenario/interleaving.js';

async function releaseAll(s: PolicyScheduler, order: string[]): Promise<void> {
  while (s.count() > 0) await s.waitOne();
  await Promise.resolve();
  expect(order.length).toBeGreaterThan(0);
}

describe('PolicyScheduler', () => {
  it('lockstep alternates operations, lower id first on ties', async () => {
    const s = new PolicyScheduler(1);
    s.mode = 'lockstep';
    const order: string[] = [];
    const park = (label: string) => void s.schedule(Promise.resolve(), label).then(() => order.push(label));
    park('op1 GET search');
    park('op0 GET search');
    await s.waitOne();
    park('op0 POST create');
    await Promise.resolve();
    await releaseAll(s, order);
    // op0 first (tie), then op1 (fewer moves than op0), then op0's POST
    expect(order).toEqual(['op0 GET search', 'op1 GET search', 'op0 POST create']);
  });

  it('free mode holds nothing', async () => {
    const s = new PolicyScheduler(1);
    let done = false;
    await s.schedule(Promise.resolve(), 'op0 GET').then(() => (done = true));
    expect(done).toBe(true);
    expect(s.count()).toBe(0);
  });

  it('waitOne with nothing parked throws (the coordinator reports a diverged run)', async () => {
    const s = new PolicyScheduler(1);
    s.mode = 'lockstep';
    await expect(s.waitOne()).rejects.toThrow(/no task/);
  });

  it('random mode replays from its seed', async () => {
    const run = async () => {
      const s = new PolicyScheduler(42);
      s.mode = 'random';
      const order: string[] = [];
      for (const l of ['op0 a', 'op1 b', 'op2 c', 'op3 d']) void s.schedule(Promise.resolve(), l).then(() => order.push(l));
      while (s.count() > 0) await s.waitOne();
      return order;
    };
    expect(await run()).toEqual(await run());
  });
});
