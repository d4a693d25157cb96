import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { AT, create, emulator, LEGACY_VERSIONS, OU, person, PROGRAM, TEI_PATH, type Emu } from './support.js';

const values = async (e: Emu, uid: string) => {
  const stored = e.mock.admin.state().find((t) => t.uid === uid)!;
  return Object.fromEntries(stored.attributes.map((a) => [a.attribute, a.value]));
};

describe('§2.5 PUT /api/trackedEntityInstances/{uid}: merge semantics', () => {
  it('§2.5 omitted attributes are kept, sent ones updated; the response wraps one ImportSummary', async () => {
    const e = await emulator();
    const uid = await create(e, person({}, { [AT.lastName]: 'Doe', [AT.nationalId]: 'N-1' }));
    const res = await e.put(`${TEI_PATH}/${uid}`, person({ trackedEntityType: 'Ignored0001' }, { [AT.firstName]: 'Jo' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'OK', message: 'Import was successful.', response: { responseType: 'ImportSummary', status: 'SUCCESS', importCount: { updated: 1 }, reference: uid } });
    expect(res.body.response.relationships).toMatchObject({ responseType: 'ImportSummaries', total: 0 });
    expect(await values(e, uid)).toEqual({ [AT.firstName]: 'Jo', [AT.lastName]: 'Doe', [AT.nationalId]: 'N-1' });
    expect(e.mock.admin.state().find((t) => t.uid === uid)!.trackedEntityType).toBe('nEenWmSyUEp');
  });

  it('§2.5 a blank value deletes that one attribute', async () => {
    const e = await emulator();
    const uid = await create(e, person({}, { [AT.lastName]: 'Doe', [AT.phone]: '123' }));
    await e.put(`${TEI_PATH}/${uid}`, person({}, { [AT.lastName]: '' }));
    expect(await values(e, uid)).toEqual({ [AT.firstName]: 'Joe', [AT.phone]: '123' });
  });

  it('§2.5 ?program= deletes that program\'s attributes missing from the payload, keeps others', async () => {
    const e = await emulator();
    const uid = await create(e, person({}, { [AT.lastName]: 'Doe', [AT.gender]: 'Male', [AT.phone]: '123' }));
    const res = await e.put(`${TEI_PATH}/${uid}?program=${PROGRAM}`, person());
    expect(res.status).toBe(200);
    expect(await values(e, uid)).toEqual({ [AT.firstName]: 'Joe', [AT.phone]: '123' });
  });

  it('§2.5 PUT to a UID that does not exist does not create', async () => {
    const e = await emulator();
    const res = await e.put(`${TEI_PATH}/Nothing0001`, person());
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'An error occurred, please check import summary.', response: { responseType: 'ImportSummary', status: 'ERROR' } });
    expect(e.mock.admin.state()).toHaveLength(0);
  });

  it('§2.5 PUT without orgUnit → conflict OrganisationUnit "Org unit null does not exist"', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.put(`${TEI_PATH}/${uid}`, person({ orgUnit: undefined }));
    expect(res.status).toBe(409);
    expect(res.body.response.conflicts).toEqual([{ object: 'OrganisationUnit', value: 'Org unit null does not exist' }]);
  });

  it('§2.5 PUT of a TEI outside the capture scope → description with the access error', async () => {
    const e = await emulator();
    const uid = await create(e, person({ orgUnit: OU.kamaranka }));
    const res = await e.put(`${TEI_PATH}/${uid}`, person({ orgUnit: OU.kamaranka }), BO_CLERK);
    expect(res.status).toBe(409);
    expect(res.body.response.description).toBe(`[User has no write access to organisation unit: ${OU.kamaranka}]`);
  });

  it('§2.5 the path UID overrides the body UID', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.put(`${TEI_PATH}/${uid}`, person({ trackedEntityInstance: 'Other000001' }, { [AT.firstName]: 'Pat' }));
    expect(res.body.response.reference).toBe(uid);
    expect((await values(e, uid))[AT.firstName]).toBe('Pat');
  });
});

describe('§2.6 DELETE /api/trackedEntityInstances/{uid}: soft delete', () => {
  it('§2.6 delete → 200, deleted 1, no reference; the TEI reads as 404 but stays in state', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const res = await e.del(`${TEI_PATH}/${uid}`);
    expect(res.status).toBe(200);
    expect(res.body.response).toEqual({
      responseType: 'ImportSummary', status: 'SUCCESS', description: `Deletion of tracked entity instance ${uid} was successful`,
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 1 }, conflicts: [],
    });
    expect((await e.get(`${TEI_PATH}/${uid}`)).status).toBe(404);
    expect(e.mock.admin.state().find((t) => t.uid === uid)!.deleted).toBe(true);
  });

  it('§2.6 deleting again (or an unknown UID) → 200, ignored, "not present in the system"', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    await e.del(`${TEI_PATH}/${uid}`);
    const res = await e.del(`${TEI_PATH}/${uid}`);
    expect(res.status).toBe(200);
    expect(res.body.response).toMatchObject({ status: 'SUCCESS', importCount: { ignored: 1 }, description: `Tracked entity instance ${uid} cannot be deleted as it is not present in the system` });
  });

  it('§2.6 enrolled TEI, user without F_TEI_CASCADE_DELETE → 409 conflict on the UID', async () => {
    const e = await emulator();
    const uid = await create(e, person({ enrollments: [{ program: PROGRAM, orgUnit: OU.ngelehun }] }));
    const res = await e.del(`${TEI_PATH}/${uid}`, BO_CLERK);
    expect(res.status).toBe(409);
    expect(res.body.response.conflicts).toEqual([{ object: uid, value: `Tracked entity instance ${uid} cannot be deleted as it has associated enrollments and user does not have authority F_TEI_CASCADE_DELETE` }]);
  });
});

describe('§2.3 GET /api/trackedEntityInstances/{uid}', () => {
  it.each(LEGACY_VERSIONS)('§2.3 unknown UID → 404 body on %s', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(`${TEI_PATH}/Unknown0001`);
    expect(res.status).toBe(404);
    const modern = v === '2.40' || v === '2.41';
    expect(res.body).toEqual(modern
      ? { httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: 'TrackedEntityInstance with id Unknown0001 could not be found.', errorCode: 'E1005' }
      : { httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: 'TrackedEntityInstance not found for uid: Unknown0001' });
  });

  it.each(['2.39', '2.40'] as const)('§2.3 unknown ?program= → 404 naming the Program (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const uid = await create(e, person());
    const res = await e.get(`${TEI_PATH}/${uid}?program=Xxxxxxxxxx1`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(v === '2.39' ? 'Program not found for uid: Xxxxxxxxxx1' : 'Program with id Xxxxxxxxxx1 could not be found.');
  });

  it('§2.3 a malformed UID behaves like an unknown one', async () => {
    const e = await emulator({ dhis2Version: '2.38' });
    const res = await e.get(`${TEI_PATH}/not-a-uid`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('TrackedEntityInstance not found for uid: not-a-uid');
  });

  it('§2.3 a TEI outside the user\'s search scope → 409 with the access list', async () => {
    const e = await emulator();
    const uid = await create(e, person({ orgUnit: OU.kamaranka }));
    const res = await e.get(`${TEI_PATH}/${uid}`, BO_CLERK);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`[User has no read access to organisation unit: ${OU.kamaranka}]`);
  });

  it('§2.3 the body is the bare TEI, storedBy set; fields= projects it', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const full = (await e.get(`${TEI_PATH}/${uid}`)).body;
    expect(full).toMatchObject({ trackedEntityInstance: uid, storedBy: 'admin', enrollments: [], relationships: [], programOwners: [] });
    expect(full.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect((await e.get(`${TEI_PATH}/${uid}?fields=trackedEntityInstance,orgUnit`)).body).toEqual({ trackedEntityInstance: uid, orgUnit: OU.ngelehun });
  });
});
