import { describe, expect, it } from 'vitest';
import { UID_PATTERN } from '../../../mock-server/dhis2/random.js';
import { AT, create, emulator, LEGACY_VERSIONS, person, summaryOf, TEI_PATH } from './support.js';

describe('§2.4 POST response shape, Location header', () => {
  it('§2.4 a single create → 200 WebMessage wrapping ImportSummaries, href, Location', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: 'Abcdefghij1' }));
    expect(res.status).toBe(200);
    expect(res.headers.location).toBe('/api/trackedEntityInstances/Abcdefghij1');
    expect(res.body).toMatchObject({
      httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Import was successful.',
      response: { responseType: 'ImportSummaries', status: 'SUCCESS', imported: 1, updated: 0, deleted: 0, ignored: 0, total: 1 },
    });
    const s = summaryOf(res);
    expect(s).toMatchObject({
      responseType: 'ImportSummary', status: 'SUCCESS', importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 }, conflicts: [],
      reference: 'Abcdefghij1', enrollments: { responseType: 'ImportSummaries', status: 'SUCCESS', importSummaries: [], total: 0 },
    });
    expect(s.href).toMatch(/\/api\/trackedEntityInstances\/Abcdefghij1$/);
    expect(s.importOptions).toMatchObject({ importStrategy: 'CREATE_AND_UPDATE', async: false, skipLastUpdated: true });
    expect(Object.keys(res.body)).toEqual(['httpStatus', 'httpStatusCode', 'status', 'message', 'response']);
  });

  it('§2.4 a malformed client UID is silently replaced by a generated one', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: 'abc' }));
    expect(res.status).toBe(200);
    const ref = summaryOf(res).reference as string;
    expect(ref).not.toBe('abc');
    expect(ref).toMatch(UID_PATTERN);
    expect((await e.get(`${TEI_PATH}/${ref}`)).status).toBe(200);
  });

  it('§2.4 bulk: creates are reported before updates; no Location header', async () => {
    const e = await emulator();
    const existing = await create(e, person());
    const res = await e.post(TEI_PATH, { trackedEntityInstances: [person({ trackedEntityInstance: existing }), person({ trackedEntityInstance: 'Newnewnew01' })] });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.body.response.importSummaries.map((s: { reference: string }) => s.reference)).toEqual(['Newnewnew01', existing]);
    expect(res.body.response).toMatchObject({ imported: 1, updated: 1, total: 2 });
    expect(summaryOf(res).importOptions).toBeUndefined();
  });

  it('§2.4 partial success is still a 409 with the error summary and the imported count', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, { trackedEntityInstances: [person(), person({ trackedEntityType: 'Xxxxxxxxxx1' })] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'An error occurred, please check import summary.', response: { status: 'ERROR', imported: 1, ignored: 1, total: 2 } });
  });

  it('§2.4 reportMode=ERRORS drops summaries without conflicts but keeps the counts', async () => {
    const e = await emulator();
    const res = await e.post(`${TEI_PATH}?reportMode=ERRORS`, { trackedEntityInstances: [person(), person({ trackedEntityType: 'Xxxxxxxxxx1' })] });
    expect(res.body.response.importSummaries).toHaveLength(1);
    expect(res.body.response.importSummaries[0].status).toBe('ERROR');
    expect(res.body.response.total).toBe(2);
  });
});

describe('§2.4 client-UID routing matrix', () => {
  const already = (uid: string) => `Tracked entity instance ${uid} already exists or was deleted earlier`;
  const deletedText = (uid: string) => `You are trying to add or update tracked entity instance ${uid} that has already been deleted`;

  it.each(['CREATE', 'NEW'])('§2.4 strategy=%s with an existing UID → 409 "already exists", ignored, no conflicts', async (strategy) => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.post(`${TEI_PATH}?strategy=${strategy}`, person({ trackedEntityInstance: uid }));
    expect(res.status).toBe(409);
    expect(summaryOf(res)).toMatchObject({ status: 'ERROR', description: already(uid), reference: uid, conflicts: [], importCount: { ignored: 1 } });
    expect(res.headers.location).toBeUndefined();
  });

  it('§2.4 strategy=CREATE with a soft-deleted UID → "already exists or was deleted earlier"', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    await e.del(`${TEI_PATH}/${uid}`);
    const res = await e.post(`${TEI_PATH}?strategy=CREATE`, person({ trackedEntityInstance: uid }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).description).toBe(already(uid));
  });

  it('§2.4 default CREATE_AND_UPDATE with an existing UID updates (idempotent upsert)', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: uid }, { [AT.firstName]: 'Joseph' }));
    expect(res.status).toBe(200);
    expect(summaryOf(res)).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 1 }, reference: uid });
    expect(res.headers.location).toBe(`/api/trackedEntityInstances/${uid}`);
  });

  it('§2.4 importStrategy is overwritten by strategy: importStrategy=CREATE on an existing UID still updates', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.post(`${TEI_PATH}?importStrategy=CREATE`, person({ trackedEntityInstance: uid }));
    expect(res.status).toBe(200);
    expect(summaryOf(res).importCount).toMatchObject({ updated: 1 });
  });

  it.each(LEGACY_VERSIONS)('§2.4 CREATE_AND_UPDATE with a soft-deleted UID routes to update and fails (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const uid = await create(e, person());
    await e.del(`${TEI_PATH}/${uid}`);
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: uid }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).conflicts).toEqual([{ object: v === '2.41' ? 'TrackedEntity' : 'TrackedEntityInstance', value: deletedText(uid) }]);
  });

  it.each(LEGACY_VERSIONS)('§2.4 strategy=UPDATE with an unknown UID on %s', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.post(`${TEI_PATH}?strategy=UPDATE`, person({ trackedEntityInstance: 'Unknown0001' }));
    expect(res.status).toBe(409);
    const value = v === '2.35' ? 'Tracked entity instance Unknown0001 does not exist' : deletedText('Unknown0001');
    expect(summaryOf(res).conflicts).toEqual([{ object: v === '2.41' ? 'TrackedEntity' : 'TrackedEntityInstance', value }]);
    expect((await e.get(`${TEI_PATH}/Unknown0001`)).status).toBe(404);
  });

  it('§2.4 strategy=UPDATE without a UID → the "already been deleted" text with null', async () => {
    const e = await emulator({ dhis2Version: '2.39' });
    const res = await e.post(`${TEI_PATH}?strategy=UPDATE`, person());
    expect(res.status).toBe(409);
    expect(summaryOf(res).conflicts).toEqual([{ object: 'TrackedEntityInstance', value: deletedText('null') }]);
    expect(summaryOf(res).reference).toBeUndefined();
  });

  it('§2.4 strategy=SYNC deletes TEIs marked deleted and creates the rest', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.post(`${TEI_PATH}?strategy=SYNC`, { trackedEntityInstances: [person({ trackedEntityInstance: uid, deleted: true }), person()] });
    expect(res.status).toBe(200);
    expect(res.body.response).toMatchObject({ imported: 1, deleted: 1 });
    expect((await e.get(`${TEI_PATH}/${uid}`)).status).toBe(404);
  });

  it('§2.4 strategy=SYNC treats a soft-deleted UID as new → "already exists or was deleted earlier"', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    await e.del(`${TEI_PATH}/${uid}`);
    const res = await e.post(`${TEI_PATH}?strategy=SYNC`, person({ trackedEntityInstance: uid }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).description).toBe(already(uid));
  });

  it('§2.4 strategy=DELETE in bulk: reference and deleted count; a missing TEI is ignored without reference', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.post(`${TEI_PATH}?strategy=DELETE`, { trackedEntityInstances: [{ trackedEntityInstance: uid }, { trackedEntityInstance: 'Missing0001' }] });
    expect(res.status).toBe(200);
    expect(res.body.response).toMatchObject({ deleted: 1, ignored: 1 });
    const [done, missing] = res.body.response.importSummaries;
    expect(done).toMatchObject({ status: 'SUCCESS', reference: uid, description: `Deletion of tracked entity instance ${uid} was successful` });
    expect(done.href).toBeUndefined();
    expect(missing).toMatchObject({ status: 'SUCCESS', description: 'Tracked entity instance Missing0001 cannot be deleted as it is not present in the system' });
    expect(missing.reference).toBeUndefined();
  });

  it('§2.4 an unknown strategy value → 400 listing the enum', async () => {
    const e = await emulator();
    const res = await e.post(`${TEI_PATH}?strategy=UPSERT`, person());
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Value UPSERT is not a valid strategy. Valid values are: [CREATE, UPDATE, CREATE_AND_UPDATE, DELETE, SYNC, NEW_AND_UPDATES, NEW, UPDATES, DELETES]');
  });

  it.each([['2.40.6', true], ['2.40.7', false], ['2.41', true]] as const)('§2.4 dryRun=true on %s saves anyway: %s', async (v, saved) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.post(`${TEI_PATH}?dryRun=true`, person({ trackedEntityInstance: 'DryRun00001' }));
    expect(res.status).toBe(200);
    expect(summaryOf(res).importCount).toMatchObject({ imported: 1 });
    expect((await e.get(`${TEI_PATH}/DryRun00001`)).status).toBe(saved ? 200 : 404);
  });
});
