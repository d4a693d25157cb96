import { describe, expect, it } from 'vitest';
import { demoFixture } from '../../../mock-server/fixtures/demo.js';
import { BO_CLERK } from '../helpers.js';
import { A, ADMIN_ID, codes, firstError, nid, OU, PROGRAM, sync, te, TET, U, withVersion, type Emu } from './fixtures.js';

type Arrange = (e: Emu) => Promise<unknown>;
const none: Arrange = async () => {};
const created = (body: unknown = { trackedEntities: [te(U.a, [nid('ABC-1')])] }): Arrange => async (e) => {
  const r = await sync(e, body);
  if (r.status !== 200) throw new Error(`arrange failed: ${JSON.stringify(r.body)}`);
};
const createdThenDeleted: Arrange = async (e) => {
  await created()(e);
  await sync(e, { trackedEntities: [{ trackedEntity: U.a, trackedEntityType: TET, orgUnit: OU.ngelehun, attributes: [{ attribute: A.firstName, value: 'Joe' }] }] }, 'importStrategy=DELETE');
};

interface Row {
  name: string;
  version: string;
  arrange: Arrange;
  body: unknown;
  query?: string;
  auth?: string;
  code: string;
  message: string;
}

const cases: Row[] = [
  { name: '§3.1/§4 E1048 malformed UID (2.36)', version: '2.36', arrange: none, body: { trackedEntities: [te('abc')] }, code: 'E1048', message: 'Object: `abc`, uid: `abc`, has an invalid uid format.' },
  { name: '§3.1/§4 E1048 malformed UID (2.41)', version: '2.41', arrange: none, body: { trackedEntities: [te('abc')] }, code: 'E1048', message: 'Object: `abc`, uid: `abc`, has an invalid uid format.' },
  { name: '§3.2 E1002 CREATE of an existing UID (2.36)', version: '2.36', arrange: created(), body: { trackedEntities: [te(U.a)] }, query: 'importStrategy=CREATE', code: 'E1002', message: `TrackedEntityInstance: \`${U.a}\`, already exists.` },
  { name: '§3.2 E1002 CREATE of an existing UID (2.40)', version: '2.40', arrange: created(), body: { trackedEntities: [te(U.a)] }, query: 'importStrategy=CREATE', code: 'E1002', message: `TrackedEntityInstance: \`${U.a}\`, already exists.` },
  { name: '§3.2 E1002 CREATE of an existing UID (2.41)', version: '2.41', arrange: created(), body: { trackedEntities: [te(U.a)] }, query: 'importStrategy=CREATE', code: 'E1002', message: `TrackedEntity: \`${U.a}\`, already exists.` },
  { name: '§3.2 E1063 UPDATE of an unknown UID (2.39)', version: '2.39', arrange: none, body: { trackedEntities: [te(U.b)] }, query: 'importStrategy=UPDATE', code: 'E1063', message: `TrackedEntityInstance: \`${U.b}\`, does not exist.` },
  { name: '§3.2 E1063 DELETE of an unknown UID (2.42)', version: '2.42', arrange: none, body: { trackedEntities: [{ trackedEntity: U.b }] }, query: 'importStrategy=DELETE', code: 'E1063', message: `TrackedEntity: \`${U.b}\`, does not exist.` },
  { name: '§3.2 E1114 soft-deleted TE (2.36 drops the apostrophe)', version: '2.36', arrange: createdThenDeleted, body: { trackedEntities: [te(U.a)] }, code: 'E1114', message: `TrackedEntity: \`${U.a}\`, is already deleted and cant be modified.` },
  { name: '§3.2 E1114 soft-deleted TE (2.41)', version: '2.41', arrange: createdThenDeleted, body: { trackedEntities: [te(U.a)] }, code: 'E1114', message: `TrackedEntity: \`${U.a}\`, is already deleted and cannot be modified.` },
  { name: '§3.2 E1114 soft-deleted TE with CREATE (2.42.0 keeps the comma)', version: '2.42.0', arrange: createdThenDeleted, body: { trackedEntities: [te(U.a)] }, query: 'importStrategy=CREATE', code: 'E1114', message: `TrackedEntity: \`${U.a}\`, is already deleted and cannot be modified.` },
  { name: '§3.2 E1114 soft-deleted TE (2.42)', version: '2.42', arrange: createdThenDeleted, body: { trackedEntities: [te(U.a)] }, code: 'E1114', message: `TrackedEntity: \`${U.a}\` is already deleted and cannot be modified.` },
  { name: '§3.5 E1121 missing trackedEntityType (2.39)', version: '2.39', arrange: none, body: { trackedEntities: [te(U.a, [], { trackedEntityType: undefined })] }, code: 'E1121', message: 'Missing required tracked entity property: `trackedEntityType`.' },
  { name: '§3.5 E1121 missing orgUnit (2.40)', version: '2.40', arrange: none, body: { trackedEntities: [te(U.a, [], { orgUnit: '' })] }, code: 'E1121', message: 'Missing required trackedEntity property: `orgUnit`.' },
  { name: '§3.5 E1049 unknown org unit (2.41)', version: '2.41', arrange: none, body: { trackedEntities: [te(U.a, [], { orgUnit: 'NoSuchOu001' })] }, code: 'E1049', message: 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Tracked Entity.' },
  { name: '§3.5 E1049 unknown org unit (2.42)', version: '2.42', arrange: none, body: { trackedEntities: [te(U.a, [], { orgUnit: 'NoSuchOu001' })] }, code: 'E1049', message: 'Could not find OrganisationUnit: `NoSuchOu001` linked to TrackedEntity.' },
  { name: '§3.5 E1005 unknown tracked entity type', version: '2.38', arrange: none, body: { trackedEntities: [te(U.a, [], { trackedEntityType: 'NoSuchTet01' })] }, code: 'E1005', message: 'Could not find TrackedEntityType: `NoSuchTet01`.' },
  { name: '§3.5 E1090 mandatory TET attribute missing on create', version: '2.40', arrange: none, body: { trackedEntities: [{ trackedEntity: U.a, trackedEntityType: TET, orgUnit: OU.ngelehun, attributes: [] }] }, code: 'E1090', message: `Attribute: \`${A.firstName}\`, is mandatory in tracked entity type \`${TET}\` but not declared in tracked entity \`${U.a}\`.` },
  { name: '§3.5 E1006 unknown attribute (2.41)', version: '2.41', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: 'NoSuchAttr1', value: 'x' }])] }, code: 'E1006', message: 'Attribute: `NoSuchAttr1`, does not exist.' },
  { name: '§3.5 E1006 unknown attribute (2.42)', version: '2.42', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: 'NoSuchAttr1', value: 'x' }])] }, code: 'E1006', message: 'Attribute: `NoSuchAttr1` does not exist.' },
  { name: '§3.5 E1076 mandatory attribute sent as null', version: '2.41', arrange: none, body: { trackedEntities: [{ trackedEntity: U.a, trackedEntityType: TET, orgUnit: OU.ngelehun, attributes: [{ attribute: A.firstName, value: null }] }] }, code: 'E1076', message: `\`TrackedEntityAttribute\` \`${A.firstName}\` is mandatory and cannot be null` },
  { name: '§3.5 E1077 value longer than 1200 (the value fills both placeholders)', version: '2.40', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: 'x'.repeat(1201) }])] }, code: 'E1077', message: `Attribute: \`${'x'.repeat(1201)}\`, text value exceed the maximum allowed length: \`${'x'.repeat(1201)}\`.` },
  { name: '§3.5 E1007 value type (2.41 wording)', version: '2.41', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: A.weight, value: 'abc' }])] }, code: 'E1007', message: 'Error validating attribute value type: `NUMBER`; Error: `Value type is NUMBER but the value `abc` is not.`.' },
  { name: '§3.5 E1007 invalid DATE is a value-type error, not a failed request (2.42)', version: '2.42', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: A.dateOfBirth, value: '2024-13-45' }])] }, code: 'E1007', message: 'Error validating attribute value type: `DATE`; Error: `Value type is DATE but the value `2024-13-45` is not.`.' },
  { name: '§3.5 E1125 invalid option (2.40 wording)', version: '2.40', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: A.gender, value: 'Mle' }])] }, code: 'E1125', message: `Value Mle is not a valid option for ${A.gender} TrackedEntityAttribute in option set Male,Female` },
  { name: '§3.5 E1125 invalid option (2.41 wording)', version: '2.41', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: A.gender, value: 'Mle' }])] }, code: 'E1125', message: 'Value `Mle` is not a valid option code in option set `pC3N9N77UmT`' },
  { name: '§3.5 E1125 option codes are exact from 2.41', version: '2.41', arrange: none, body: { trackedEntities: [te(U.a, [{ attribute: A.gender, value: 'male' }])] }, code: 'E1125', message: 'Value `male` is not a valid option code in option set `pC3N9N77UmT`' },
  { name: '§3.4 E1064 non-unique value (2.41, no trailing dot)', version: '2.41', arrange: created(), body: { trackedEntities: [te(U.b, [nid('ABC-1')])] }, code: 'E1064', message: `Non-unique attribute value \`ABC-1\` for attribute \`${A.nationalId}\`` },
  { name: '§3.4 E1064 non-unique value (2.42.0 old text)', version: '2.42.0', arrange: created(), body: { trackedEntities: [te(U.b, [nid('ABC-1')])] }, code: 'E1064', message: `Non-unique attribute value \`ABC-1\` for attribute \`${A.nationalId}\`` },
  { name: '§3.4 E1064 non-unique value (2.42 = 2.42.5, trailing dot)', version: '2.42', arrange: created(), body: { trackedEntities: [te(U.b, [nid('ABC-1')])] }, code: 'E1064', message: `Non-unique attribute value \`ABC-1\` for attribute \`${A.nationalId}\`.` },
  { name: '§3.5 E1000 org unit outside the capture scope (2.41)', version: '2.41', arrange: none, auth: BO_CLERK, body: { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka })] }, code: 'E1000', message: `User: \`BoClerk0001\`, has no write access to OrganisationUnit: \`${OU.kamaranka}\`.` },
  { name: '§3.5 E1000 org unit outside the capture scope (2.42)', version: '2.42', arrange: none, auth: BO_CLERK, body: { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka })] }, code: 'E1000', message: `User: \`BoClerk0001\` has no capture scope access to OrganisationUnit: \`${OU.kamaranka}\`.` },
  {
    name: '§3.2 E1100 delete of a TE with enrollments without F_TEI_CASCADE_DELETE (MessageFormat drops the quotes)', version: '2.39', auth: BO_CLERK,
    arrange: created({ trackedEntities: [te(U.a, [], { enrollments: [{ enrollment: U.en1, program: PROGRAM, orgUnit: OU.ngelehun, enrolledAt: '2024-01-01', occurredAt: '2024-01-01' }] })] }),
    body: { trackedEntities: [{ trackedEntity: U.a }] }, query: 'importStrategy=DELETE', code: 'E1100',
    message: `User: \`BoClerk0001\`, is lacking F_TEI_CASCADE_DELETE authority to delete TrackedEntityInstance: \`${U.a}\`.`,
  },
];

describe('tracker validation codes and wording by version (§3.2, §3.5)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const e = await withVersion(c.version);
    await c.arrange(e);
    const r = await sync(e, c.body, c.query, c.auth);
    expect(r.status).toBe(409);
    expect(r.body.status).toBe('ERROR');
    expect(firstError(r.body)).toMatchObject({ errorCode: c.code, message: c.message, trackerType: 'TRACKED_ENTITY' });
  });
});

describe('validator sequence (§3.2)', () => {
  it.each([
    ['§3.2 missing type stops before the attribute rules (no E1006)', te(U.a, [{ attribute: 'NoSuchAttr1', value: 'x' }], { trackedEntityType: undefined }), ['E1121']],
    ['§3.2 both mandatory fields are reported by the one validator', te(U.a, [], { trackedEntityType: undefined, orgUnit: undefined }), ['E1121', 'E1121']],
    ['§3.2 the UID format check stops before mandatory fields (E1048 only)', te('abc', [], { orgUnit: undefined }), ['E1048']],
    ['§3.2 attribute rules are all reported (2.40: E1006, E1085+E1007, E1125)', te(U.a, [{ attribute: 'NoSuchAttr1', value: 'x' }, { attribute: A.weight, value: 'abc' }, { attribute: A.gender, value: 'Mle' }]), ['E1006', 'E1085', 'E1007', 'E1125']],
    ['§3.2 E1090 and value rules are reported together', { trackedEntity: U.a, trackedEntityType: TET, orgUnit: OU.ngelehun, attributes: [{ attribute: A.weight, value: 'abc' }] }, ['E1090', 'E1085', 'E1007']],
  ])('%s', async (_name, entity, expected) => {
    const e = await withVersion('2.40');
    const r = await sync(e, { trackedEntities: [entity] });
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(expected);
  });

  it('§3.5 E1085 carries the valueIsValid key before the ≤2.40 E1007 text', async () => {
    const e = await withVersion('2.39');
    const r = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.weight, value: 'abc' }])] });
    expect(r.body.validationReport.errorReports.map((x: { message: string }) => x.message)).toEqual([
      `Attribute: \`${A.weight}\`, value does not match value type: \`value_not_numeric\`.`,
      `Error validating attribute value type: \`NUMBER\`; Error: \`Value 'abc' is not a valid numeric type for attribute ${A.weight} \`.`,
    ]);
  });

  it('§3.5 ≤2.40 accepts an option code in another case', async () => {
    const e = await withVersion('2.40');
    const r = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.gender, value: 'male' }])] });
    expect(r.status).toBe(200);
  });

  it.each([
    ['2.38', 409], ['2.39.5', 409], ['2.39.6', 200], ['2.40.4', 409], ['2.40.5', 200], ['2.41.0', 409], ['2.41.1', 200], ['2.42', 200],
  ])('§3.2 E1090 on a partial update: stored values count from 2.39.6/2.40.5/2.41.1 (%s → %i)', async (version, status) => {
    const e = await withVersion(version);
    await created()(e);
    const r = await sync(e, { trackedEntities: [{ trackedEntity: U.a, trackedEntityType: TET, orgUnit: OU.ngelehun, attributes: [{ attribute: A.lastName, value: 'Doe' }] }] });
    expect(r.status).toBe(status);
    if (status === 409) expect(codes(r.body)).toEqual(['E1090']);
  });

  it.each([
    ['2.36', 409, ['E1121', 'E1121']],
    ['2.37', 200, []],
    ['2.41', 200, []],
  ])('§3.2 DELETE with only the UID: 2.36 runs every validator (%s)', async (version, status, expected) => {
    const e = await withVersion(version);
    await created()(e);
    const r = await sync(e, { trackedEntities: [{ trackedEntity: U.a }] }, 'importStrategy=DELETE');
    expect(r.status).toBe(status);
    expect(codes(r.body)).toEqual(expected);
    if (status === 200) expect(r.body.stats).toMatchObject({ deleted: 1, total: 1 });
  });

  it.each([
    ['2.36', 200],
    ['2.37', 409],
    ['2.41', 409],
  ])('§3.2 E1126 the type cannot change on update (%s)', async (version, status) => {
    const fixture = demoFixture();
    fixture.metadata.trackedEntityTypes.push({ id: 'OtherTet001', name: 'Other', trackedEntityTypeAttributes: [] });
    const e = await withVersion(version, { fixture });
    await created()(e);
    const r = await sync(e, { trackedEntities: [te(U.a, [], { trackedEntityType: 'OtherTet001' })] });
    expect(r.status).toBe(status);
    if (status === 409) expect(firstError(r.body)).toMatchObject({ errorCode: 'E1126', message: 'Not allowed to update Tracked Entity property: trackedEntityType.' });
    expect(e.mock.store.get(U.a)?.trackedEntityType).toBe(TET);
  });

  it('§3.5 the user in E1000 is the user UID, the org unit the one outside the scope', async () => {
    const e = await withVersion('2.40');
    const r = await sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.bombali })] }, '', BO_CLERK);
    expect(firstError(r.body).message).toContain(`\`${OU.bombali}\``);
    expect(firstError(r.body).message).not.toContain(ADMIN_ID);
  });

  it('§3.1 2.42 rejects a malformed UID while reading JSON: 400 WebMessage', async () => {
    const e = await withVersion('2.42');
    const r = await sync(e, { trackedEntities: [te('abc')] });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ httpStatusCode: 400, status: 'ERROR' });
    expect(r.body.message).toContain('UID must be an alphanumeric string of 11 characters starting with a letter, but was: abc');
    expect(e.mock.store.size).toBe(0);
  });
});
