/**
 * One bounded suite with real concurrency over loopback HTTP (no scheduler; the emulator's seeded
 * race window): the robust core stays clean whatever the timing, and the naive upsert's race is
 * found without a scheduler's help.
 */
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/harness/report.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import naive from '../fixtures/implementations/naive-search-then-create.mjs';
import { announceSeed, FC_SEED } from './fc-config.js';
import { robustOn } from './implementations.js';

announceSeed('concurrency');

describe('real concurrency (bounded: 15 runs, ≤ 4 operations each)', () => {
  it('robust core: no finding under real concurrency, whatever the timing', async () => {
    const report = await verifyUpsert(robustOn('tracker'), {
      seed: FC_SEED,
      numRuns: 0,
      concurrentRuns: 15,
      workload: { dhis2Versions: ['2.40', '2.41'], uniqueness: ['racy', 'off'], maxOps: 4, partialRecords: false },
    });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.runs).toBe(15);
  });

  it('naive search-then-create: the check-then-act race shows up without a scheduler', async () => {
    const report = await verifyUpsert(naive, {
      seed: FC_SEED,
      numRuns: 0,
      concurrentRuns: 15,
      workload: { dhis2Versions: ['2.40'], uniqueness: ['off'], keyKinds: ['unique'], maxKeys: 1, maxRounds: 1, maxOps: 4, faults: false, preexisting: false },
    });
    expect(report.ok).toBe(false);
    expect(report.counterexample!.phase).toBe('concurrent');
    expect(report.counterexample!.findings.map((f) => f.code)).toContain('DUPLICATE');
    expect(report.replayCommand).toContain("phase: 'concurrent'");
  });
});
