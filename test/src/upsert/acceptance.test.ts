import { afterEach, describe, expect, it } from 'vitest';
import { createMockDhis2, DEMO_IDS, type MockDhis2 } from '../../../mock-server/index.js';
import { closeCachedClients, implementations } from '../../../src/upsert/index.js';

const at = DEMO_IDS.attributes;
const record = {
  trackedEntityType: DEMO_IDS.trackedEntityType,
  orgUnit: DEMO_IDS.orgUnits.ngelehun,
  matchAttribute: at.nationalId,
  attributes: [
    { attribute: at.nationalId, value: 'NID-50' },
    { attribute: at.firstName, value: 'Aminata' },
    { attribute: at.lastName, value: 'Sesay' },
    { attribute: at.phone, value: '+23276000050' },
  ],
};

/** The acceptance check: racy uniqueness + commit-then-drop, 50 concurrent upserts of one record. */
async function hammer(impl: (typeof implementations)['robust' | 'naiveSearchThenCreate' | 'trackerNoUid'], version: string) {
  const mock = await createMockDhis2({
    dhis2Version: version,
    uniqueness: 'racy',
    raceWindowMs: [2, 10],
    seed: 50,
    log: () => {},
    faults: { seed: 50, rules: [{ kind: 'drop-after-commit', method: 'POST', times: 5 }] },
  });
  const baseUrl = await mock.listen(0, '127.0.0.1');
  const ctx = { baseUrl, username: 'admin', password: 'district' };
  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => impl(record, ctx)));
  return { mock, outcomes };
}

describe('50 concurrent upserts of one record under racy uniqueness and commit-then-drop', () => {
  let mock: MockDhis2 | undefined;
  afterEach(async () => {
    await closeCachedClients();
    await mock?.close();
  });

  it.each(['2.39', '2.41'])('robust core on %s: exactly one entity with every attribute', async (version) => {
    const run = await hammer(implementations.robust, version);
    mock = run.mock;
    expect(run.outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const live = mock.admin.state().filter((e) => !e.deleted);
    expect(live).toHaveLength(1);
    expect(Object.fromEntries(live[0].attributes.map((a) => [a.attribute, a.value]))).toEqual(
      Object.fromEntries(record.attributes.map((a) => [a.attribute, a.value])),
    );
    expect(mock.admin.invariants().ok).toBe(true);
  });

  it('naive search-then-create leaves duplicates', async () => {
    const run = await hammer(implementations.naiveSearchThenCreate, '2.39');
    mock = run.mock;
    expect(mock.admin.invariants().duplicates.length).toBeGreaterThan(0);
  });

  it('tracker CREATE_AND_UPDATE without a UID leaves duplicates', async () => {
    const run = await hammer(implementations.trackerNoUid, '2.41');
    mock = run.mock;
    expect(mock.admin.state().filter((e) => !e.deleted).length).toBeGreaterThan(1);
  });
});
