/**
 * The robust core passes the job workload (option `events`: records that enroll and record visits)
 * for a bounded number of runs, on both APIs, with every other dimension on: no duplicate
 * enrollment or visit, no lost data value, and every entity property still holds.
 */
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/harness/report.js';
import type { Implementation } from '../../src/harness/types.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import type { WorkloadConstraints } from '../../src/harness/workload.js';
import { implementations } from '../../src/upsert/implementations.js';
import { announceSeed, FC_SEED } from './fc-config.js';
import { robustOn } from './implementations.js';

announceSeed('robust-jobs');

describe('robust core with enrollments and events: no finding', () => {
  it.each<[string, Implementation, WorkloadConstraints, number]>([
    ['legacy API, DHIS2 2.35–2.41', robustOn('legacy'), { events: true, dhis2Versions: ['2.35', '2.38', '2.40', '2.41'] }, 60],
    ['tracker API, DHIS2 2.38–2.42', robustOn('tracker'), { events: true, dhis2Versions: ['2.38', '2.40', '2.41', '2.42'] }, 60],
    // the lost-update story of resendReadDataValues, where the core must merge, not resend
    ['the lost-update shape (one patient, three ops, two runs)', robustOn('auto'), { events: { programs: ['tb'] }, dhis2Versions: ['2.40'], uniqueness: ['atomic'], maxKeys: 1, minOps: 3, maxOps: 3, maxRounds: 2, maxClients: 2, faults: false }, 300],
    ['implementations.robust as shipped, no faults', implementations.robust as Implementation, { events: true, faults: false }, 30],
  ])('%s', async (name, implementation, workload, numRuns) => {
    const report = await verifyUpsert(implementation, { seed: FC_SEED, numRuns, concurrentRuns: 2, workload });
    console.log(`${name}: ${report.runs} runs in ${report.durationMs} ms (${report.runsPerSecond.toFixed(1)} runs/s)`);
    expect(report.ok, formatReport(report)).toBe(true);
  }, 240_000);
});
