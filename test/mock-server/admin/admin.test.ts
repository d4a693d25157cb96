import { describe, expect, it } from 'vitest';
import { emulator } from '../helpers.js';
import { AT, person, TEI_PATH } from '../legacy/support.js';

describe('interfaces.md admin API', () => {
  it('POST /__admin/reset returns to the fixture state and clears the journal', async () => {
    const e = await emulator();
    await e.post(TEI_PATH, person());
    const res = await e.raw.post('/__admin/reset');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('OK');
    expect((await e.raw.get('/__admin/state')).body.trackedEntities).toEqual([]);
    const journal = (await e.raw.get('/__admin/journal')).body.entries;
    expect(journal.filter((j: { type: string }) => j.type === 'commit')).toEqual([]);
  });

  it('GET /__admin/state lists soft-deleted entities too, with version and mode', async () => {
    const e = await emulator({ dhis2Version: '2.39' });
    const uid = (await e.post(TEI_PATH, person())).body.response.importSummaries[0].reference;
    await e.del(`${TEI_PATH}/${uid}`);
    const state = (await e.raw.get('/__admin/state')).body;
    expect(state).toMatchObject({ dhis2Version: '2.39.10', uniqueness: 'atomic' });
    expect(state.trackedEntities).toHaveLength(1);
    expect(state.trackedEntities[0]).toMatchObject({ uid, deleted: true });
  });

  it('GET /__admin/journal has request, response and commit entries, filterable by uid', async () => {
    const e = await emulator();
    const uid = (await e.post(TEI_PATH, person({}, { [AT.nationalId]: 'J-1' }))).body.response.importSummaries[0].reference;
    await e.get('/api/me');
    const all = (await e.raw.get('/__admin/journal')).body.entries as { type: string; requestId: string }[];
    expect(all.map((x) => x.type)).toEqual(expect.arrayContaining(['request', 'response', 'commit']));
    const byUid = (await e.raw.get(`/__admin/journal?uid=${uid}`)).body.entries as { type: string; requestId: string; uid?: string; changes?: unknown[] }[];
    const commit = byUid.find((x) => x.type === 'commit')!;
    expect(commit).toMatchObject({ uid, operation: 'create' });
    expect(commit.changes).toEqual(expect.arrayContaining([{ attribute: AT.nationalId, before: null, after: 'J-1' }]));
    expect(byUid.filter((x) => x.type === 'request').map((x) => x.requestId)).toEqual([commit.requestId]);
    expect((await e.raw.get('/__admin/journal?since=abc')).status).toBe(400);
  });

  it('GET /__admin/invariants reports duplicates among live entities', async () => {
    const e = await emulator({ uniqueness: 'off' });
    expect((await e.raw.get('/__admin/invariants')).body).toMatchObject({ ok: true, duplicates: [] });
    await e.post(TEI_PATH, person({}, { [AT.nationalId]: 'D-1' }));
    await e.post(TEI_PATH, person({}, { [AT.nationalId]: 'd-1' }));
    const report = (await e.raw.get('/__admin/invariants')).body;
    expect(report.ok).toBe(false);
    expect(report.duplicates).toHaveLength(1);
    expect(report.duplicates[0]).toMatchObject({ attribute: AT.nationalId, scope: 'global' });
    expect(report.duplicates[0].uids).toHaveLength(2);
    expect((await e.raw.get('/__admin/invariants?attribute=Xxxxxxxxxx1')).status).toBe(400);
  });

  it('PUT /__admin/config switches version and uniqueness at run time; bad input → 400', async () => {
    const e = await emulator();
    const ok = await e.raw.put('/__admin/config').send({ dhis2Version: '2.42', uniqueness: 'racy' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ dhis2Version: '2.42.5', uniqueness: 'racy' });
    expect((await e.get('/api/system/info')).body.version).toBe('2.42.5');
    expect((await e.get(`${TEI_PATH}?trackedEntityType=x`)).status).toBe(404);
    expect((await e.raw.put('/__admin/config').send({ dhis2Version: '3.0' })).status).toBe(400);
    expect((await e.raw.put('/__admin/config').send({ uniqueness: 'maybe' })).status).toBe(400);
    expect((await e.raw.put('/__admin/config').send({ unknown: 1 })).status).toBe(400);
  });

  it('--admin-token protects /__admin but not /api', async () => {
    const e = await emulator({ adminToken: 's3cret' });
    expect((await e.raw.get('/__admin/state')).status).toBe(401);
    expect((await e.raw.get('/__admin/state').set('Authorization', 'Bearer s3cret')).status).toBe(200);
    expect((await e.get('/api/me')).status).toBe(200);
  });

  it('an unknown admin route → 404 JSON', async () => {
    const e = await emulator();
    const res = await e.raw.get('/__admin/nope');
    expect(res.status).toBe(404);
    expect(res.body.status).toBe('ERROR');
  });
});
