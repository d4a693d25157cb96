/**
 * The robust core passes every property across uniqueness modes, both APIs, DHIS2 versions,
 * pre-existing entities (ambiguous ones included) and fault plans that stop.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/checker/index.js';
import { fifoScheduler } from '../../src/harness/fifo-scheduler.js';
import { formatReport } from '../../src/harness/report.js';
import { runWorkload } from '../../src/harness/runner.js';
import type { BatchImplementation, Implementation, Workload } from '../../src/harness/types.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import type { WorkloadConstraints } from '../../src/harness/workload.js';
import { implementations } from '../../src/upsert/implementations.js';
import { announceSeed, FC_SEED } from './fc-config.js';
import { robustManyOn, robustOn } from './implementations.js';

announceSeed('robust');

// Every dimension on: partial records, key spellings, job runs, other writers, faults on any request.
const all: WorkloadConstraints = {};

describe('robust core: no finding', () => {
  it.each<[string, Implementation | BatchImplementation, WorkloadConstraints, number, boolean]>([
    ['legacy API, DHIS2 2.35–2.41', robustOn('legacy'), { ...all, dhis2Versions: ['2.35', '2.38', '2.40', '2.41'] }, 80, false],
    ['tracker API, DHIS2 2.36–2.42', robustOn('tracker'), { ...all, dhis2Versions: ['2.36', '2.38', '2.40', '2.41', '2.42'] }, 80, false],
    ['upsertMany (robustMany), DHIS2 2.35–2.42', robustManyOn('auto'), { ...all, dhis2Versions: ['2.35', '2.38', '2.40', '2.41', '2.42'] }, 60, true],
    ['implementations.robust as shipped (auto API, real backoff), no faults', implementations.robust, { ...all, faults: false }, 30, false],
  ])('%s', async (_name, implementation, workload, numRuns, batch) => {
    const report = await verifyUpsert(implementation, { seed: FC_SEED, numRuns, concurrentRuns: 4, workload, batch });
    console.log(`${_name}: ${report.runs} runs in ${report.durationMs} ms (${report.runsPerSecond.toFixed(1)} runs/s)`);
    expect(report.ok, formatReport(report)).toBe(true);
  });

  // Found by this harness: an update that resent the attributes it had read overwrote a concurrent
  // update of an attribute the record does not mention (LOST_ATTRIBUTE). The core now sends only
  // what changes and lets the server merge (spec §2.5, §3.3); this story is the regression test.
  it.each(['legacy', 'tracker'] as const)('concurrent partial updates keep every attribute (%s API)', async (api) => {
    // pre-existing last=Kamara; op0 sets last=Sesay while op1, in lockstep, only renames
    const w: Workload = {
      dhis2Version: '2.40',
      uniqueness: 'atomic',
      keyKind: 'unique',
      preexisting: [{ key: 0, orgUnit: 'home', copies: 1, firstName: 'Ama', lastName: 'Kamara' }],
      rounds: [[{ key: 0, orgUnit: 'home', firstName: 'Ama', lastName: 'Sesay' }, { key: 0, orgUnit: 'home', firstName: 'Bintu', client: 1 }]],
      faults: [],
    };
    const { history } = await runWorkload(robustOn(api), w, { mode: 'scheduled', scheduler: fifoScheduler(), seed: 1 });
    expect(checkHistory(history)).toEqual([]);
  });
});
