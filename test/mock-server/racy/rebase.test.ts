import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

const at = DEMO_IDS.attributes;
const UID = 'AAAAAAAAAA1';

/** §2.5/§3.3 + §2.7: attribute values are rows per (entity, attribute); a race window must not lose one. */
describe('racy mode: concurrent updates of one entity keep both attribute changes', () => {
  it.each([
    ['legacy PUT', 'legacy'],
    ['tracker CREATE_AND_UPDATE', 'tracker'],
  ])('%s', async (_name, api) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let waiting = 0;
    const e = await emulator({ uniqueness: 'racy', dhis2Version: '2.40' });
    await e.post('/api/trackedEntityInstances', { trackedEntityInstance: UID, trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: DEMO_IDS.orgUnits.ngelehun, attributes: [{ attribute: at.firstName, value: 'Ann' }] }).expect(200);
    // both requests pass their checks, then wait in the race window until both are there
    e.mock.admin.setRaceHook(async () => {
      waiting++;
      if (waiting === 2) release();
      await gate;
    });
    const send = (attribute: string, value: string) =>
      api === 'legacy'
        ? e.put(`/api/trackedEntityInstances/${UID}`, { orgUnit: DEMO_IDS.orgUnits.ngelehun, attributes: [{ attribute, value }] })
        : e.post('/api/tracker?async=false', { trackedEntities: [{ trackedEntity: UID, trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: DEMO_IDS.orgUnits.ngelehun, attributes: [{ attribute: at.firstName, value: 'Ann' }, { attribute, value }] }] });
    const [a, b] = await Promise.all([send(at.phone, '+23270000001'), send(at.lastName, 'Bangura')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const stored = e.mock.admin.state().find((x) => x.uid === UID)!;
    expect(Object.fromEntries(stored.attributes.map((x) => [x.attribute, x.value]))).toEqual({
      [at.firstName]: 'Ann', [at.phone]: '+23270000001', [at.lastName]: 'Bangura',
    });
  });
});
