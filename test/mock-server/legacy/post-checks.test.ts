import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { AT, create, emulator, OU, person, summaryOf, TEI_PATH, TET } from './support.js';

const GENDER_SET = 'pC3N9N77UmT';

describe('§2.4/§2.8 create-path conflicts (exact texts)', () => {
  const cases: [string, Record<string, unknown>, { object?: string; value: string }[], string?][] = [
    ['§2.8 trackedEntityType missing', person({ trackedEntityType: undefined }), [{ object: 'TrackedEntityInstance.trackedEntityType', value: 'Missing required property trackedEntityType' }]],
    ['§2.8 trackedEntityType missing (2.41 object name)', person({ trackedEntityType: undefined }), [{ object: 'TrackedEntity.trackedEntityType', value: 'Missing required property trackedEntityType' }], '2.41'],
    ['§2.8 trackedEntityType unknown', person({ trackedEntityType: 'Xxxxxxxxxx1' }), [{ object: 'TrackedEntityInstance.trackedEntityType', value: 'Invalid trackedEntityType Xxxxxxxxxx1' }]],
    ['§2.8 attribute unknown', person({}, { Xxxxxxxxxx2: 'a' }), [{ object: 'Attribute.attribute', value: 'Invalid attribute Xxxxxxxxxx2' }]],
    ['§2.4 type and attribute conflicts are reported together', person({ trackedEntityType: undefined }, { Xxxxxxxxxx2: 'a' }),
      [{ object: 'TrackedEntityInstance.trackedEntityType', value: 'Missing required property trackedEntityType' }, { object: 'Attribute.attribute', value: 'Invalid attribute Xxxxxxxxxx2' }]],
    ['§2.8 value over 1200 characters', person({}, { [AT.lastName]: 'x'.repeat(1201) }), [{ object: 'Attribute.value', value: `Value exceeds the character limit of 1200 characters: '${'x'.repeat(25)}...'` }]],
    ['§2.8 NUMBER value', person({}, { [AT.weight]: 'heavy' }), [{ object: 'Attribute.value', value: `Value 'heavy' is not a valid numeric type for attribute ${AT.weight}` }]],
    ['§2.8 BOOLEAN value', person({}, { [AT.consent]: 'yes' }), [{ object: 'Attribute.value', value: `Value 'yes' is not a valid boolean type for attribute ${AT.consent}` }]],
    ['§2.8 option not in the set', person({}, { [AT.gender]: 'Other' }), [{ object: 'Attribute.value', value: `Value 'Other' is not a valid option for attribute ${AT.gender} and option set ${GENDER_SET}` }]],
    ['§2.8 orgUnit missing (no UID: no object)', person({ orgUnit: undefined }), [{ value: 'No org unit ID in tracked entity instance object' }]],
    ['§2.8 orgUnit unknown (object = the client UID)', person({ orgUnit: 'Xxxxxxxxxx3', trackedEntityInstance: 'Client00001' }), [{ object: 'Client00001', value: 'Invalid org unit ID: Xxxxxxxxxx3' }]],
  ];
  it.each(cases)('%s → 409 conflict', async (_name, body, conflicts, version) => {
    const e = await emulator({ dhis2Version: version ?? '2.40' });
    const res = await e.post(TEI_PATH, body);
    expect(res.status).toBe(409);
    const s = summaryOf(res);
    expect(s).toMatchObject({ status: 'ERROR', importCount: { imported: 0, ignored: 1 } });
    expect(s.conflicts).toEqual(conflicts);
    expect(s.href).toBeUndefined();
  });

  it('§2.4 step 8: an unparseable DATE fails the whole request, nothing is saved', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: 'BadDate0001' }, { [AT.dateOfBirth]: 'abc' }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).description).toMatch(/^The import process failed: /);
    expect((await e.get(`${TEI_PATH}/BadDate0001`)).status).toBe(404);
  });

  it('§2.4 step 7: no capture access → description with the Java list, no reference', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, person({ orgUnit: OU.kamaranka, trackedEntityInstance: 'Scope000001' }), BO_CLERK);
    expect(res.status).toBe(409);
    const s = summaryOf(res);
    expect(s.description).toBe(`[User has no write access to organisation unit: ${OU.kamaranka}]`);
    expect(s.reference).toBeUndefined();
    expect(s.conflicts).toEqual([]);
  });

  it('§2.4 values are trimmed; a blank value is not stored', async () => {
    const e = await emulator();
    const uid = await create(e, person({}, { [AT.firstName]: '  Joe  ', [AT.lastName]: '   ' }));
    const tei = (await e.get(`${TEI_PATH}/${uid}`)).body;
    expect(tei.attributes.map((a: { attribute: string; value: string }) => [a.attribute, a.value])).toEqual([[AT.firstName, 'Joe']]);
  });

  it('§2.4 no check that attributes belong to the type: gender (a program attribute) is stored but hidden', async () => {
    const e = await emulator();
    const uid = await create(e, person({}, { [AT.gender]: 'Male' }));
    const plain = (await e.get(`${TEI_PATH}/${uid}`)).body.attributes.map((a: { attribute: string }) => a.attribute);
    expect(plain).not.toContain(AT.gender);
    expect(e.mock.admin.state().find((t) => t.uid === uid)!.attributes.map((a) => a.attribute)).toContain(AT.gender);
  });
});

describe('§2.7 uniqueness (case-insensitive, soft-deleted ignored, orgunitScope = exact org unit)', () => {
  const nonUnique = (v: string, a: string) => [{ object: 'Attribute.value', value: `Non-unique attribute value '${v}' for attribute ${a}` }];

  it('§2.7 the same national ID in another case → conflict, no error code', async () => {
    const e = await emulator();
    await create(e, person({}, { [AT.nationalId]: 'ABC-123' }));
    const res = await e.post(TEI_PATH, person({}, { [AT.nationalId]: 'abc-123' }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).conflicts).toEqual(nonUnique('abc-123', AT.nationalId));
    expect(res.body.errorCode).toBeUndefined();
  });

  it('§2.7 a soft-deleted holder does not block the value', async () => {
    const e = await emulator();
    const old = await create(e, person({}, { [AT.nationalId]: 'ABC-123' }));
    await e.del(`${TEI_PATH}/${old}`);
    expect((await e.post(TEI_PATH, person({}, { [AT.nationalId]: 'ABC-123' }))).status).toBe(200);
  });

  it('§2.7 orgunitScope: the same value at another org unit is fine, at the same one it conflicts', async () => {
    const e = await emulator();
    await create(e, person({}, { [AT.facilityRegNo]: 'R-1' }));
    expect((await e.post(TEI_PATH, person({ orgUnit: OU.njandama }, { [AT.facilityRegNo]: 'R-1' }))).status).toBe(200);
    const res = await e.post(TEI_PATH, person({}, { [AT.facilityRegNo]: 'r-1' }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).conflicts).toEqual(nonUnique('r-1', AT.facilityRegNo));
  });

  it('§2.7 an update may keep its own unique value', async () => {
    const e = await emulator();
    const uid = await create(e, person({}, { [AT.nationalId]: 'ABC-123' }));
    expect((await e.post(TEI_PATH, person({ trackedEntityInstance: uid }, { [AT.nationalId]: 'ABC-123' }))).status).toBe(200);
  });

  it('§2.7 an update that takes another TEI\'s value conflicts', async () => {
    const e = await emulator();
    await create(e, person({}, { [AT.nationalId]: 'ABC-123' }));
    const uid = await create(e, person({}, { [AT.nationalId]: 'XYZ-1' }));
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: uid }, { [AT.nationalId]: 'ABC-123' }));
    expect(res.status).toBe(409);
    expect(summaryOf(res)).toMatchObject({ reference: uid, conflicts: nonUnique('ABC-123', AT.nationalId) });
  });

  it('§2.7 within one bulk request the second TEI with the same value conflicts', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, { trackedEntityInstances: [person({}, { [AT.nationalId]: 'DUP-1' }), person({}, { [AT.nationalId]: 'dup-1' })] });
    expect(res.status).toBe(409);
    expect(res.body.response).toMatchObject({ imported: 1, ignored: 1 });
    expect(res.body.response.importSummaries[1].conflicts).toEqual(nonUnique('dup-1', AT.nationalId));
  });

  it('§2.7 uniqueness=off lets duplicates in (and the invariant check sees them)', async () => {
    const e = await emulator({ uniqueness: 'off' });
    await create(e, person({}, { [AT.nationalId]: 'DUP-2' }));
    expect((await e.post(TEI_PATH, person({}, { [AT.nationalId]: 'DUP-2' }))).status).toBe(200);
    expect(e.mock.admin.invariants().ok).toBe(false);
  });
});

describe('§2.2/§2.3 which attributes a read returns', () => {
  it('§2.3 single GET: the type\'s attributes; with ?program= the program\'s too', async () => {
    const e = await emulator();
    const uid = await create(e, person({ enrollments: [{ program: 'IpHINAT79UW', orgUnit: OU.ngelehun }] }, { [AT.gender]: 'Female' }));
    const ids = (r: { body: { attributes: { attribute: string }[] } }) => r.body.attributes.map((a) => a.attribute);
    expect(ids(await e.get(`${TEI_PATH}/${uid}`))).not.toContain(AT.gender);
    expect(ids(await e.get(`${TEI_PATH}/${uid}?program=IpHINAT79UW`))).toContain(AT.gender);
    const list = await e.get(`${TEI_PATH}?trackedEntityInstance=${uid}`);
    expect(list.body.trackedEntityInstances[0].attributes.map((a: { attribute: string }) => a.attribute)).toContain(AT.gender);
  });

  it('§2.2 attribute objects carry displayName, valueType and code', async () => {
    const e = await emulator();
    const uid = await create(e, person());
    const attr = (await e.get(`${TEI_PATH}/${uid}`)).body.attributes[0];
    expect(attr).toMatchObject({ attribute: AT.firstName, value: 'Joe', displayName: 'First name', valueType: 'TEXT', code: 'FIRST_NAME', storedBy: 'admin' });
  });

  it.each(['2.35', '2.37', '2.38'] as const)('§2.2 list attribute dates are midnight before 2.38 (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const uid = await create(e, person());
    const attr = (await e.get(`${TEI_PATH}?trackedEntityInstance=${uid}`)).body.trackedEntityInstances[0].attributes[0];
    if (v === '2.38') expect(attr.created).not.toMatch(/T00:00:00\.000$/);
    else expect(attr.created).toMatch(/T00:00:00\.000$/);
  });

  it.each(['2.36', '2.37'] as const)('§2.2 potentialDuplicate appears from 2.37 (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const uid = await create(e, person());
    const tei = (await e.get(`${TEI_PATH}/${uid}`)).body;
    expect('potentialDuplicate' in tei).toBe(v === '2.37');
    expect(tei).toMatchObject({ trackedEntityInstance: uid, trackedEntityType: TET, orgUnit: OU.ngelehun, deleted: false, inactive: false, featureType: 'NONE' });
  });
});
