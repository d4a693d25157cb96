/**
 * fast-check's scheduler drives every pause point: each naive client's steps (before search,
 * before write) and, in `racy` mode, the emulator's window between check and commit (through the
 * race hook). A step is released only when every client is parked, so the scheduler — not timing —
 * picks the interleaving, and each mode's outcome is predicted exactly from it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UniquenessMode } from '../../../mock-server/index.js';
import { holders, live, until, type Live } from '../faults/live.js';
import { naiveUpsert, type NaiveResult } from './naive.js';

const FC_SEED = process.env.FC_SEED !== undefined && Number.isFinite(Number(process.env.FC_SEED)) ? Number(process.env.FC_SEED) : 424242;
console.log(`racy interleavings: FC_SEED=${FC_SEED}`);

let env: Live;
beforeAll(async () => {
  env = await live({ uniqueness: 'racy', dhis2Version: '2.40' });
});
afterAll(async () => {
  await env.close();
});

interface RunTrace {
  results: NaiveResult[];
  /** create/update checks that happened before the first commit */
  checksBeforeFirstCommit: number;
  holders: number;
}

async function runScheduled(s: fc.Scheduler, mode: UniquenessMode, clients: number): Promise<RunTrace> {
  await env.mock.admin.reset();
  env.mock.admin.configure({ uniqueness: mode });
  let checks = 0;
  let checksBeforeFirstCommit = -1;
  env.mock.admin.setRaceHook(async (info) => {
    checks++;
    await s.schedule(Promise.resolve(), `window ${info.keys.map((k) => k.value).join()}`);
    if (checksBeforeFirstCommit < 0) checksBeforeFirstCommit = checks;
  });
  let unfinished = clients;
  const gate = (label: string) => () => s.schedule(Promise.resolve(), label);
  const runs = Array.from({ length: clients }, (_, i) =>
    naiveUpsert(env, 'SCHED-1', { beforeSearch: gate(`client ${i} search`), beforeWrite: gate(`client ${i} write`) }).finally(() => unfinished--),
  );
  // release one parked step at a time, and only when every unfinished client is parked
  while (unfinished > 0) {
    await until(() => unfinished === 0 || s.count() >= unfinished);
    if (unfinished > 0) await s.waitOne();
  }
  const results = await Promise.all(runs);
  env.mock.admin.setRaceHook(undefined);
  return { results, checksBeforeFirstCommit: Math.max(checksBeforeFirstCommit, 0), holders: holders(env.mock, 'SCHED-1').length };
}

const params = { seed: FC_SEED, numRuns: 25 };
const clientCount = fc.integer({ min: 2, max: 3 });

describe('naive search-then-create under every interleaving the scheduler picks', () => {
  it('racy: one entity per create whose check ran before the first commit (so duplicates exactly when two checks overlap)', async () => {
    let duplicated = 0;
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), clientCount, async (s, clients) => {
        const t = await runScheduled(s, 'racy', clients);
        expect(t.holders).toBe(t.checksBeforeFirstCommit);
        expect(t.results.filter((r) => r.action === 'created')).toHaveLength(t.holders);
        if (t.holders > 1) duplicated++;
      }),
      params,
    );
    console.log(`racy: ${duplicated} of ${params.numRuns} interleavings produced a duplicate`);
  });

  it('atomic: never more than one entity, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), clientCount, async (s, clients) => {
        const t = await runScheduled(s, 'atomic', clients);
        expect(t.holders).toBe(1);
        expect(env.mock.admin.invariants().ok).toBe(true);
      }),
      params,
    );
  });

  it('off: every client whose search found nothing creates one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), clientCount, async (s, clients) => {
        const t = await runScheduled(s, 'off', clients);
        expect(t.holders).toBe(t.results.filter((r) => r.found === 0).length);
        expect(t.results.every((r) => r.status === 200)).toBe(true);
      }),
      params,
    );
  });
});
