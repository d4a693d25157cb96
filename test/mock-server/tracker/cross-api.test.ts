import { describe, expect, it } from 'vitest';
import { A, codes, nid, OU, sync, te, TET, U, withVersion, type Attr } from './fixtures.js';

const legacyTei = (uid: string, attributes: Attr[]) => ({
  trackedEntityInstance: uid, trackedEntityType: TET, orgUnit: OU.ngelehun,
  attributes: [{ attribute: A.firstName, value: 'Joe' }, ...attributes],
});
const values = (attrs: { attribute: string; value: string }[]) => Object.fromEntries(attrs.map((a) => [a.attribute, a.value]));

describe('one core behind both APIs (§7)', () => {
  it.each(['2.37', '2.40', '2.41'])('§7 %s: create legacy → update tracker → update legacy → read both', async (version) => {
    const e = await withVersion(version);
    const created = await e.post('/api/trackedEntityInstances', legacyTei(U.a, [nid('ABC-1')]));
    expect(created.status).toBe(200);

    const viaTracker = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: 'Doe' }])] });
    expect(viaTracker.body.stats).toMatchObject({ created: 0, updated: 1 });

    const put = await e.put(`/api/trackedEntityInstances/${U.a}`, legacyTei(U.a, [{ attribute: A.phone, value: '+232' }]));
    expect(put.status).toBe(200);

    const legacy = await e.get(`/api/trackedEntityInstances/${U.a}`);
    expect(legacy.body).toMatchObject({ trackedEntityInstance: U.a, trackedEntityType: TET, lastUpdated: expect.any(String) });
    const tracker = await e.get(`/api/tracker/trackedEntities/${U.a}`);
    expect(tracker.body).toMatchObject({ trackedEntity: U.a, trackedEntityType: TET, updatedAt: legacy.body.lastUpdated, createdAt: legacy.body.created });
    const expected = { [A.firstName]: 'Joe', [A.nationalId]: 'ABC-1', [A.lastName]: 'Doe', [A.phone]: '+232' };
    expect(values(legacy.body.attributes)).toEqual(expected);
    expect(values(tracker.body.attributes)).toEqual(expected);
  });

  it('§7 create through the tracker, visible in the legacy list with legacy field names', async () => {
    const e = await withVersion('2.39');
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    const r = await e.get(`/api/trackedEntityInstances?ou=${OU.ngelehun}&trackedEntityType=${TET}&filter=${A.nationalId}:EQ:ABC-1`);
    expect(r.body.trackedEntityInstances).toHaveLength(1);
    expect(r.body.trackedEntityInstances[0]).toMatchObject({ trackedEntityInstance: U.a, orgUnit: OU.ngelehun });
    expect(r.body.trackedEntityInstances[0].trackedEntity).toBeUndefined();
  });

  it('§7 a legacy soft delete blocks the UID in the tracker: E1114 for CREATE_AND_UPDATE and CREATE', async () => {
    const e = await withVersion('2.41');
    await e.post('/api/trackedEntityInstances', legacyTei(U.a, []));
    expect((await e.del(`/api/trackedEntityInstances/${U.a}`)).status).toBe(200);
    for (const query of ['', 'importStrategy=CREATE']) {
      const r = await sync(e, { trackedEntities: [te(U.a)] }, query);
      expect(codes(r.body)).toEqual(['E1114']);
    }
  });

  it('§7 a tracker delete is a legacy "deleted earlier": GET 404, CREATE refused', async () => {
    const e = await withVersion('2.40');
    await sync(e, { trackedEntities: [te(U.a)] });
    await sync(e, { trackedEntities: [{ trackedEntity: U.a }] }, 'importStrategy=DELETE');
    expect((await e.get(`/api/trackedEntityInstances/${U.a}`)).status).toBe(404);
    const r = await e.post('/api/trackedEntityInstances?strategy=CREATE', legacyTei(U.a, []));
    expect(r.status).toBe(409);
    expect(r.body.response.importSummaries[0].description).toBe(`Tracked entity instance ${U.a} already exists or was deleted earlier`);
  });

  it('§7 uniqueness differs: the tracker compares exact case, the legacy API ignores case', async () => {
    const e = await withVersion('2.40');
    await e.post('/api/trackedEntityInstances', legacyTei(U.a, [nid('ABC-1')]));
    expect((await sync(e, { trackedEntities: [te(U.b, [nid('abc-1')])] })).status).toBe(200);
    const legacy = await e.post('/api/trackedEntityInstances', legacyTei(U.c, [nid('Abc-1')]));
    expect(legacy.status).toBe(409);
    expect(legacy.body.response.importSummaries[0].conflicts[0].value).toBe(`Non-unique attribute value 'Abc-1' for attribute ${A.nationalId}`);
  });

  it('§7 a legacy duplicate check ignores soft-deleted holders, the tracker check does not', async () => {
    const e = await withVersion('2.40');
    await sync(e, { trackedEntities: [te(U.a, [nid('GONE-1')])] });
    await sync(e, { trackedEntities: [{ trackedEntity: U.a }] }, 'importStrategy=DELETE');
    expect(codes((await sync(e, { trackedEntities: [te(U.b, [nid('GONE-1')])] })).body)).toEqual(['E1064']);
    expect((await e.post('/api/trackedEntityInstances', legacyTei(U.c, [nid('GONE-1')]))).status).toBe(200);
  });

  it('§7 the journal records tracker commits with the request that made them', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, { trackedEntities: [te(U.a)] });
    const commits = e.mock.runtime.journal.list().filter((x) => x.type === 'commit');
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ uid: U.a, operation: 'create', requestId: r.headers['x-request-id'] });
  });
});
