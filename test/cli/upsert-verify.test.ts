/**
 * The `upsert` CLI under the same proof as upsertMany: `verify` runs it as a batch implementation
 * (records in a file, per-record results out), with job runs, faults and the metamorphic property.
 */
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/harness/report.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import upsertCli from '../fixtures/implementations/upsert-cli-batch.mjs';
import { announceSeed } from '../properties/fc-config.js';

const seed = announceSeed('upsert-verify');

describe('dhis2-harness upsert, verified as a batch implementation', () => {
  it('passes: no duplicate, no lost attribute, true actions, a batch equals its records one by one', async () => {
    const report = await verifyUpsert(upsertCli, {
      seed,
      batch: true,
      numRuns: 5,
      concurrentRuns: 0,
      // the CLI waits for real between retries: faults that need no backoff keep the test short
      workload: { dhis2Versions: ['2.38', '2.42'], maxOps: 3, faultKinds: ['drop-after', 'error-after', 'stale', 'duplicate', 'latency'] },
    });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.coverage.batchSizes).not.toEqual({});
  });
});
