/** `GET /__admin/invariants`: at most one live entity per key, per attribute scope (interfaces.md). */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS, demoFixture } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

const A = DEMO_IDS.attributes;
const OU = DEMO_IDS.orgUnits;
const TET = DEMO_IDS.trackedEntityType;

async function offEmulator() {
  const e = await emulator({ uniqueness: 'off' });
  const create = async (uid: string, values: Record<string, string>, orgUnit: string = OU.ngelehun) => {
    const attributes = Object.entries({ [A.firstName]: 'Test', ...values }).map(([attribute, value]) => ({ attribute, value }));
    await e.post('/api/trackedEntityInstances', { trackedEntityInstance: uid, trackedEntityType: TET, orgUnit, attributes }).expect(200);
  };
  return { ...e, create };
}

describe('invariants', () => {
  it('§2.7 global unique attribute: duplicates among live entities, compared case-insensitively', async () => {
    const e = await offEmulator();
    await e.create('InvUid00002', { [A.nationalId]: 'nid-9' });
    await e.create('InvUid00001', { [A.nationalId]: 'NID-9' });
    await e.create('InvUid00003', { [A.nationalId]: 'NID-10' });
    const res = await e.raw.get('/__admin/invariants').expect(200);
    expect(res.body).toMatchObject({
      ok: false,
      liveEntities: 3,
      softDeletedEntities: 0,
      duplicates: [{ attribute: A.nationalId, value: 'NID-9', scope: 'global', uids: ['InvUid00001', 'InvUid00002'] }],
      softDeleted: [],
    });
    expect(res.body.attributes).toEqual([A.facilityRegNo, A.nationalId].sort());
  });

  it('§2.7 orgunitScope: the same value counts once per registration org unit (exact, not the hierarchy)', async () => {
    const e = await offEmulator();
    await e.create('RegUid00001', { [A.facilityRegNo]: 'R-1' }, OU.ngelehun);
    await e.create('RegUid00002', { [A.facilityRegNo]: 'R-1' }, OU.njandama);
    expect(e.mock.admin.invariants().ok).toBe(true);
    await e.create('RegUid00003', { [A.facilityRegNo]: 'r-1' }, OU.njandama);
    expect(e.mock.admin.invariants().duplicates).toEqual([{ attribute: A.facilityRegNo, value: 'R-1', scope: OU.njandama, uids: ['RegUid00002', 'RegUid00003'] }]);
  });

  it('a caller-named key attribute is checked too (repeated or comma-separated); unknown ones are refused', async () => {
    const e = await offEmulator();
    await e.create('PhnUid00001', { [A.phone]: '+232 1', [A.lastName]: 'Doe' });
    await e.create('PhnUid00002', { [A.phone]: '+232 1', [A.lastName]: 'Doe' });
    expect((await e.raw.get('/__admin/invariants').expect(200)).body.ok).toBe(true);
    const one = (await e.raw.get(`/__admin/invariants?attribute=${A.phone}`).expect(200)).body;
    expect(one.duplicates).toEqual([{ attribute: A.phone, value: '+232 1', scope: 'global', uids: ['PhnUid00001', 'PhnUid00002'] }]);
    const two = (await e.raw.get(`/__admin/invariants?attribute=${A.phone},${A.lastName}`).expect(200)).body;
    const repeated = (await e.raw.get(`/__admin/invariants?attribute=${A.phone}&attribute=${A.lastName}`).expect(200)).body;
    expect(two.duplicates.map((d: { attribute: string }) => d.attribute).sort()).toEqual([A.lastName, A.phone].sort());
    expect(repeated).toEqual(two);
    const bad = await e.raw.get('/__admin/invariants?attribute=NoSuchAttr1').expect(400);
    expect(bad.body.message).toContain('Unknown attribute(s) NoSuchAttr1');
  });

  it('§3.4 soft-deleted holders are listed apart and do not break the invariant', async () => {
    const e = await offEmulator();
    await e.create('DelUid00001', { [A.nationalId]: 'D-1' });
    await e.create('DelUid00002', { [A.nationalId]: 'D-1' });
    await e.create('DelUid00003', { [A.nationalId]: 'D-2' });
    await e.create('DelUid00004', { [A.nationalId]: 'D-2' });
    await e.create('DelUid00005', { [A.nationalId]: 'D-3' });
    for (const uid of ['DelUid00001', 'DelUid00003', 'DelUid00004', 'DelUid00005']) await e.del(`/api/trackedEntityInstances/${uid}`).expect(200);
    const report = e.mock.admin.invariants();
    expect(report).toMatchObject({ ok: true, liveEntities: 1, softDeletedEntities: 4, duplicates: [] });
    expect(report.softDeleted).toEqual([
      { attribute: A.nationalId, value: 'D-1', scope: 'global', uids: ['DelUid00001'], liveUids: ['DelUid00002'] },
      { attribute: A.nationalId, value: 'D-2', scope: 'global', uids: ['DelUid00003', 'DelUid00004'], liveUids: [] },
    ]);
  });

  it('blank values (possible in fixtures and persisted files) are not keys', async () => {
    const e = await offEmulator();
    await e.create('BlkUid00001', { [A.lastName]: 'Doe' });
    const stored = e.mock.admin.state().find((x) => x.uid === 'BlkUid00001')!;
    const blank = (uid: string) => ({ ...stored, uid, attributes: stored.attributes.map((a) => (a.attribute === A.lastName ? { ...a, value: ' ' } : a)) });
    const fixture = { ...demoFixture(), trackedEntities: [blank('BlkUid00002'), blank('BlkUid00003')] };
    const f = await emulator({ fixture });
    expect(f.mock.admin.invariants([A.lastName]).duplicates).toEqual([]);
    expect(f.mock.admin.invariants([A.firstName]).duplicates).toEqual([{ attribute: A.firstName, value: 'Test', scope: 'global', uids: ['BlkUid00002', 'BlkUid00003'] }]);
  });
});
