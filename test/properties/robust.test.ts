/**
 * The robust core passes every property across uniqueness modes, both APIs, DHIS2 versions,
 * pre-existing entities (ambiguous ones included) and fault plans that stop.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/checker/index.js';
import { fifoScheduler } from '../../src/harness/fifo-scheduler.js';
import { formatReport } from '../../src/harness/report.js';
import { runWorkload } from '../../src/harness/runner.js';
import type { Implementation, Workload } from '../../src/harness/types.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import type { WorkloadConstraints } from '../../src/harness/workload.js';
import { implementations } from '../../src/upsert/implementations.js';
import { announceSeed, FC_SEED } from './fc-config.js';
import { robustOn } from './implementations.js';

announceSeed('robust');

// Records always carry every optional attribute here; see the known bug below for partial records.
const full = { partialRecords: false, serverFaults: true } as const;

describe('robust core: no finding', () => {
  it.each<[string, Implementation, WorkloadConstraints, number]>([
    ['legacy API, DHIS2 2.35–2.41', robustOn('legacy'), { ...full, dhis2Versions: ['2.35', '2.38', '2.40', '2.41'] }, 80],
    ['tracker API, DHIS2 2.36–2.42', robustOn('tracker'), { ...full, dhis2Versions: ['2.36', '2.40', '2.41', '2.42'] }, 80],
    ['implementations.robust as shipped (auto API, real backoff), no faults', implementations.robust, { ...full, faults: false }, 30],
  ])('%s', async (_name, implementation, workload, numRuns) => {
    const report = await verifyUpsert(implementation, { seed: FC_SEED, numRuns, concurrentRuns: 4, workload });
    console.log(`${_name}: ${report.runs} runs in ${report.durationMs} ms (${report.runsPerSecond.toFixed(1)} runs/s)`);
    expect(report.ok, formatReport(report)).toBe(true);
  });

  // Known bug, found by this harness: an update sends the attributes it read plus the record's,
  // so a concurrent update of an attribute the record does not mention is overwritten with the
  // stale value it read (LOST_ATTRIBUTE / NON_LINEARIZABLE). Remove `.fails` once src/upsert
  // sends only the record's attributes on update (both APIs merge on the server, spec §2.5, §3.3).
  it.fails('known bug: concurrent partial updates keep every attribute', async () => {
    // pre-existing last=Kamara; op0 sets last=Sesay while op1, in lockstep, only renames
    const w: Workload = {
      dhis2Version: '2.40',
      uniqueness: 'atomic',
      keyKind: 'unique',
      preexisting: [{ key: 0, orgUnit: 'home', copies: 1, firstName: 'Ama', lastName: 'Kamara' }],
      rounds: [[{ key: 0, orgUnit: 'home', firstName: 'Ama', lastName: 'Sesay' }, { key: 0, orgUnit: 'home', firstName: 'Bintu' }]],
      faults: [],
    };
    const { history } = await runWorkload(robustOn('tracker'), w, { mode: 'scheduled', scheduler: fifoScheduler(), seed: 1 });
    expect(checkHistory(history)).toEqual([]);
  });
});
