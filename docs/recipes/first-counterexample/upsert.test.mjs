// upsert.test.mjs: run with `npx vitest run`.
import { expect, it } from 'vitest';
import { formatReport, verifyUpsert } from 'dhis2-upsert-harness';
import { useMockDhis2 } from 'dhis2-upsert-harness/vitest';
import upsert from './upsert.mjs';

// one emulator for this file (the demo fixture: see docs/emulator.md), reset before each test
const dhis2 = useMockDhis2({ dhis2Version: '2.40' });
const ama = {
  trackedEntityType: 'nEenWmSyUEp', // Person
  orgUnit: 'DiszpKrYNg8', // Ngelehun CHC
  matchAttribute: 'lZGmxYbs97q', // National ID (unique)
  attributes: [{ attribute: 'lZGmxYbs97q', value: 'NID-1' }, { attribute: 'w75KJ2mc4zz', value: 'Ama' }],
};

it('a second run updates the patient instead of creating another', async () => {
  await upsert(ama, dhis2.ctx);
  await upsert({ ...ama, attributes: [...ama.attributes, { attribute: 'zDhUuAYrxNC', value: 'Mensah' }] }, dhis2.ctx);
  expect(dhis2.mock.admin.invariants().duplicates).toEqual([]);
  expect(dhis2.mock.admin.state().filter((e) => !e.deleted)).toHaveLength(1);
});

it('never creates a duplicate under concurrent runs, retries and lost responses', async () => {
  // deterministic: a seed and only the scheduled phase; it stops itself after timeLimitMs (120 s)
  const report = await verifyUpsert(upsert, { seed: 1, numRuns: 50, concurrentRuns: 0 });
  expect(report.ok, formatReport(report)).toBe(true);
}, 300_000);
