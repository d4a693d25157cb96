/**
 * Real concurrency, no hook: the project's naive reference upsert (src/reference) fired twice at
 * once per key over HTTP, against the emulator's seeded race window. The window (30–60 ms) dwarfs
 * loopback latency (~1 ms), so the two creates of a key overlap as they would on a busy DHIS2; with
 * several keys a duplicate is all but certain in `racy` and impossible in `atomic`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMockDhis2, DEMO_IDS, type MockDhis2, type UniquenessMode } from '../../../mock-server/index.js';
import { naiveSearchThenCreate } from '../../../src/reference/index.js';
import { closeCachedClients } from '../../../src/upsert/context-client.js';

const KEYS = 6;
let mock: MockDhis2 | undefined;
afterEach(async () => {
  await closeCachedClients();
  await mock?.close();
  mock = undefined;
});

async function hammer(uniqueness: UniquenessMode) {
  mock = await createMockDhis2({ uniqueness, seed: 7, raceWindowMs: [30, 60], dhis2Version: '2.40', log: () => {} });
  const baseUrl = await mock.listen(0, '127.0.0.1');
  const ctx = { baseUrl, username: 'admin', password: 'district' };
  const record = (k: number) => ({
    trackedEntityType: DEMO_IDS.trackedEntityType,
    orgUnit: DEMO_IDS.orgUnits.ngelehun,
    matchAttribute: DEMO_IDS.attributes.nationalId,
    attributes: [
      { attribute: DEMO_IDS.attributes.nationalId, value: `CONC-${k}` },
      { attribute: DEMO_IDS.attributes.firstName, value: 'Test' },
    ],
  });
  const settled = await Promise.allSettled(Array.from({ length: KEYS }, (_, k) => [naiveSearchThenCreate(record(k), ctx), naiveSearchThenCreate(record(k), ctx)]).flat());
  return { settled, report: mock.admin.invariants() };
}

describe('concurrent naive upserts over HTTP with the seeded race window', () => {
  it('racy: duplicates appear, as on a real DHIS2 (spec §2.7 "Across concurrent requests: not safe")', async () => {
    const { report } = await hammer('racy');
    expect(report.ok).toBe(false);
    expect(report.duplicates.length).toBeGreaterThan(0);
    for (const d of report.duplicates) {
      expect(d.attribute).toBe(DEMO_IDS.attributes.nationalId);
      expect(d.uids).toHaveLength(2);
    }
    // the journal shows two commits for a duplicated value
    const value = report.duplicates[0].value;
    const commits = mock!.admin.journal({ value, types: ['commit'] }).entries;
    expect(commits).toHaveLength(2);
  });

  it('atomic: the same traffic never duplicates; the losers get 409', async () => {
    const { settled, report } = await hammer('atomic');
    expect(report.ok).toBe(true);
    expect(report.liveEntities).toBeGreaterThanOrEqual(KEYS);
    for (const s of settled) if (s.status === 'rejected') expect(String(s.reason)).toMatch(/409|Non-unique/);
  });
});
