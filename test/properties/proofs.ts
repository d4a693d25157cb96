/** Shared assertions of the mutation proofs: caught, with the expected finding class, minimal. */
import { expect } from 'vitest';
import type { FindingCode } from '../../src/harness/findings.js';
import type { BatchImplementation, Implementation, ImplementationSource } from '../../src/harness/types.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import type { WorkloadConstraints } from '../../src/harness/workload.js';
import { FC_SEED } from './fc-config.js';

export interface Proof {
  name: string;
  implementation: Implementation | BatchImplementation | ImplementationSource;
  /** a plain function that is a batch upsert */
  batch?: boolean;
  workload?: WorkloadConstraints;
  expected: FindingCode;
  /** at most this many operations in the minimal story (main phase) */
  maxOps: number;
  /** exactly this story shape, when it is known: operations per round */
  shape?: number[];
  /** scheduled runs to search (default 100) */
  numRuns?: number;
  /** the whole budget, shrinking included (default: verifyUpsert's) */
  timeLimitMs?: number;
}

export async function assertCaught(p: Proof): Promise<void> {
  const report = await verifyUpsert(p.implementation, { seed: FC_SEED, numRuns: p.numRuns ?? 100, concurrentRuns: 0, workload: p.workload, batch: p.batch, ...(p.timeLimitMs ? { timeLimitMs: p.timeLimitMs } : {}) });
  const c = report.counterexample;
  const summary = `${p.name}: ${report.verdict} after ${report.runs} runs (${report.durationMs} ms, ${report.runsPerSecond.toFixed(1)} runs/s); story: ${c?.description}; replay: ${report.replayCommand}`;
  console.log(summary);
  expect(report.ok, summary).toBe(false);
  expect(report.verdict, summary).toBe(p.expected);
  expect(report.interrupted, 'the default budget must suffice').toBe(false);
  const shape = c!.workload.rounds.map((r) => r.length);
  expect(shape.reduce((a, b) => a + b, 0), summary).toBeLessThanOrEqual(p.maxOps);
  if (p.shape) expect(shape, summary).toEqual(p.shape);
  // the evidence names the operations of the story
  expect(c!.findings[0].ops.length).toBeGreaterThan(0);
  expect(c!.history.ops.length).toBeGreaterThan(0);
}
