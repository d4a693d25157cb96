import { describe, expect, it } from 'vitest';
import { A, nid, OU, PROGRAM, sync, te, TET, U, withVersion, type Emu } from './fixtures.js';

const LIST = '/api/tracker/trackedEntities';

async function seeded(version: string): Promise<Emu> {
  const e = await withVersion(version);
  const enrollment = { enrollment: U.en1, program: PROGRAM, orgUnit: OU.ngelehun, enrolledAt: '2024-01-01', occurredAt: '2024-01-01', attributes: [{ attribute: A.gender, value: 'Female' }] };
  const r = await sync(e, {
    trackedEntities: [
      te(U.a, [nid('ABC-1')], { enrollments: [enrollment] }),
      te(U.b, [nid('XYZ-2')], { orgUnit: OU.njandama, potentialDuplicate: true }),
      te(U.c, [nid('QQQ-3')], { orgUnit: OU.kamaranka }),
    ],
  });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return e;
}

const byType = `trackedEntityType=${TET}`;

describe('GET /api/tracker/trackedEntities: response shape by version (§3.7)', () => {
  it.each([
    ['2.36', `orgUnit=${OU.ngelehun}&${byType}`, ['instances', 'page', 'pageSize']],
    ['2.40', `orgUnit=${OU.ngelehun}&${byType}&totalPages=true`, ['instances', 'page', 'pageSize', 'total', 'pageCount']],
    ['2.41', `orgUnits=${OU.ngelehun}&${byType}`, ['pager', 'page', 'pageSize', 'trackedEntities']],
    ['2.41', `orgUnits=${OU.ngelehun}&${byType}&totalPages=true`, ['pager', 'page', 'pageSize', 'total', 'pageCount', 'trackedEntities']],
    ['2.42', `orgUnits=${OU.ngelehun}&${byType}&totalPages=true`, ['pager', 'trackedEntities']],
  ])('§3.7 %s %s → keys %j', async (version, query, keys) => {
    const e = await seeded(version);
    const r = await e.get(`${LIST}?${query}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual([...keys].sort());
    const items = r.body.instances ?? r.body.trackedEntities;
    expect(items.map((x: { trackedEntity: string }) => x.trackedEntity)).toEqual([U.a]);
  });

  it.each([
    ['2.40', `orgUnit=${OU.ngelehun}&${byType}&skipPaging=true`, { instances: 1 }],
    ['2.40', `orgUnit=${OU.ngelehun}&${byType}&paging=false`, { instances: 1, page: 1, pageSize: 1 }],
    ['2.41', `orgUnits=${OU.ngelehun}&${byType}&paging=false`, { trackedEntities: 1 }],
    ['2.42', `orgUnits=${OU.ngelehun}&${byType}&paging=false`, { trackedEntities: 1 }],
  ])('§3.7 %s unpaged: %s', async (version, query, expected) => {
    const e = await seeded(version);
    const r = await e.get(`${LIST}?${query}`);
    expect(Object.keys(r.body).sort()).toEqual(Object.keys(expected).sort());
  });

  // TrackerTrackedEntitiesExportController: 2.37 `:all` with no collections loaded (rendered `[]`),
  // 2.39+ DEFAULT_FIELDS_PARAM `*,!relationships,!enrollments,!events,!programOwners` (key absent)
  it.each([
    ['2.37', 'empty'],
    ['2.39', 'absent'],
    ['2.40', 'absent'],
    ['2.42', 'absent'],
  ])('§3.7 %s default fields: enrollments %s', async (version, shape) => {
    const e = await seeded(version);
    const orgUnitParam = version >= '2.41' ? 'orgUnits' : 'orgUnit';
    const r = await e.get(`${LIST}?${orgUnitParam}=${OU.ngelehun}&${byType}`);
    const item = (r.body.instances ?? r.body.trackedEntities)[0];
    if (shape === 'absent') expect('enrollments' in item).toBe(false);
    else expect(item.enrollments).toEqual([]);
    expect(item).toMatchObject({ trackedEntity: U.a, trackedEntityType: TET, orgUnit: OU.ngelehun });
  });

  it('§3.7 2.37 fields=* loads the enrollments', async () => {
    const e = await seeded('2.37');
    const r = await e.get(`${LIST}?orgUnit=${OU.ngelehun}&${byType}&fields=*`);
    expect(r.body.instances[0].enrollments[0]).toMatchObject({ enrollment: U.en1, program: PROGRAM });
  });

  it('§3.7 fields selects the attributes only', async () => {
    const e = await seeded('2.41');
    const r = await e.get(`${LIST}?orgUnits=${OU.ngelehun}&${byType}&fields=trackedEntity,attributes[attribute,value]`);
    expect(r.body.trackedEntities[0]).toEqual({
      trackedEntity: U.a,
      attributes: [{ attribute: A.firstName, value: 'Joe' }, { attribute: A.nationalId, value: 'ABC-1' }],
    });
  });
});

describe('search parameters an upsert client uses (§3.7)', () => {
  it.each([
    ['2.36', `orgUnit=${OU.sierraLeone}&ouMode=DESCENDANTS&${byType}&filter=${A.nationalId}:EQ:abc-1`, [U.a]],
    ['2.40', `ouMode=ACCESSIBLE&${byType}&filter=${A.nationalId}:IN:ABC-1;XYZ-2`, [U.a, U.b]],
    ['2.41', `orgUnitMode=ACCESSIBLE&${byType}&filter=${A.nationalId}:eq:XYZ-2`, [U.b]],
    ['2.41', `${byType}&filter=${A.nationalId}:like:Q`, [U.c]],
    ['2.41', `orgUnit=${OU.bo}&ouMode=DESCENDANTS&${byType}`, [U.a, U.b]],
    ['2.42', `orgUnits=${OU.bo}&orgUnitMode=CHILDREN&${byType}`, []],
    ['2.42', `trackedEntities=${U.b},${U.c}`, [U.b, U.c]],
    ['2.41', `trackedEntity=${U.c}`, [U.c]],
    ['2.38', `ouMode=ACCESSIBLE&${byType}&potentialDuplicate=true`, [U.b]],
    ['2.41', `program=${PROGRAM}`, [U.a]],
  ])('§3.7 %s ?%s', async (version, query, expected) => {
    const e = await seeded(version);
    const r = await e.get(`${LIST}?${query}`);
    expect(r.status).toBe(200);
    const items = r.body.instances ?? r.body.trackedEntities;
    expect(items.map((x: { trackedEntity: string }) => x.trackedEntity).sort()).toEqual([...expected].sort());
  });

  it('§3.7 2.42 removed the old names: orgUnit is ignored and the ACCESSIBLE default applies', async () => {
    const e = await seeded('2.42');
    const r = await e.get(`${LIST}?orgUnit=${OU.ngelehun}&${byType}`);
    expect(r.status).toBe(200);
    expect(r.body.trackedEntities).toHaveLength(3);
  });

  it('§3.7 includeDeleted shows soft-deleted TEs with deleted: true', async () => {
    const e = await seeded('2.41');
    await sync(e, { trackedEntities: [{ trackedEntity: U.c }] }, 'importStrategy=DELETE');
    const without = await e.get(`${LIST}?${byType}`);
    const withDeleted = await e.get(`${LIST}?${byType}&includeDeleted=true`);
    expect(without.body.trackedEntities).toHaveLength(2);
    expect(withDeleted.body.trackedEntities.find((x: { trackedEntity: string }) => x.trackedEntity === U.c)).toMatchObject({ deleted: true });
  });
});

describe('parameter errors by version (§3.7)', () => {
  it.each([
    ['2.36', '', 409, 'At least one organisation unit must be specified', undefined],
    ['2.37', `orgUnit=${OU.ngelehun}`, 409, 'Either Program or Tracked entity type should be specified', undefined],
    ['2.39', '', 409, 'Either Program or Tracked entity type should be specified', undefined],
    ['2.39', `orgUnit=${OU.ngelehun}&program=${PROGRAM}&${byType}`, 409, 'Program and tracked entity cannot be specified simultaneously', undefined],
    ['2.39', `orgUnit=NoSuchOu001&${byType}`, 409, 'Organisation unit does not exist: NoSuchOu001', undefined],
    ['2.40', `orgUnit=NoSuchOu001&${byType}`, 400, 'Organisation unit does not exist: NoSuchOu001', 'E1003'],
    ['2.40', `orgUnit=${OU.ngelehun}&program=NoSuchProg1`, 400, 'Program is specified but does not exist: NoSuchProg1', 'E1003'],
    ['2.40', `orgUnit=${OU.ngelehun}&${byType}&filter=${A.nationalId}:XX:1`, 400, `Query item or filter is invalid: ${A.nationalId}:XX:1`, 'E1003'],
    ['2.41', '', 400, 'Either `program`, `trackedEntityType` or `trackedEntities` should be specified', 'E1003'],
    ['2.41', `program=${PROGRAM}&${byType}`, 400, '`program` and `trackedEntityType` cannot be specified simultaneously', 'E1003'],
    ['2.41', `orgUnits=${OU.ngelehun}&orgUnitMode=ACCESSIBLE&${byType}`, 400, 'orgUnitMode ACCESSIBLE cannot be used with orgUnits. Please remove the orgUnits parameter and try again.', 'E1003'],
    ['2.41', `orgUnitMode=SELECTED&${byType}`, 400, 'At least one org unit or tracked entity is required for orgUnitMode: SELECTED. Please add at least one org unit or tracked entity or use a different orgUnitMode.', 'E1003'],
    ['2.41', `orgUnit=${OU.ngelehun}&orgUnits=${OU.ngelehun}&${byType}`, 400, "Only one parameter of 'orgUnit' and 'orgUnits' must be specified. Prefer 'orgUnits' as 'orgUnit' will be removed.", 'E1003'],
    ['2.41', `${byType}&query=ABC`, 400, '`query` parameter was removed in v41. Use `filter` instead.', 'E1003'],
    ['2.42', `${byType}&attribute=${A.nationalId}`, 400, '`attribute` parameter was removed in v41. Use `filter` instead.', 'E1003'],
    ['2.41', `${byType}&page=0`, 400, 'page must be greater than or equal to 1 if specified', 'E1003'],
    ['2.42', `trackedEntities=abc`, 400, "Value 'abc' is not valid for parameter trackedEntities. UID must be an alphanumeric string of 11 characters starting with a letter, but was: abc", 'E1003'],
  ])('§3.7 %s ?%s → %i %s', async (version, query, status, message, errorCode) => {
    const e = await withVersion(version);
    const r = await e.get(`${LIST}${query ? `?${query}` : ''}`);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ httpStatusCode: status, status: 'ERROR', message });
    expect(r.body.errorCode).toBe(errorCode);
  });
});

describe('GET /api/tracker/trackedEntities/{uid} (§3.8)', () => {
  it.each([
    ['2.36', 'TrackedEntityInstance not found for uid: NoSuchTe001', undefined],
    ['2.39', 'TrackedEntityInstance not found for uid: NoSuchTe001', undefined],
    ['2.40', 'TrackedEntityInstance with id NoSuchTe001 could not be found.', 'E1005'],
    ['2.41', 'TrackedEntity with id NoSuchTe001 could not be found.', 'E1005'],
    ['2.42', 'TrackedEntity with id NoSuchTe001 could not be found.', 'E1005'],
  ])('§3.8 %s unknown UID → 404 %s', async (version, message, errorCode) => {
    const e = await withVersion(version);
    const r = await e.get(`${LIST}/NoSuchTe001`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message });
    expect(r.body.errorCode).toBe(errorCode);
  });

  it.each([
    ['2.40', 404],
    ['2.41', 400],
  ])('§3.8 %s malformed path UID → %i', async (version, status) => {
    const e = await withVersion(version);
    const r = await e.get(`${LIST}/abc`);
    expect(r.status).toBe(status);
    if (status === 400) expect(r.body.message).toContain('UID must be an alphanumeric string of 11 characters starting with a letter, but was: abc');
  });

  it('§3.8 a soft-deleted TE is a 404', async () => {
    const e = await seeded('2.41');
    await sync(e, { trackedEntities: [{ trackedEntity: U.c }] }, 'importStrategy=DELETE');
    expect((await e.get(`${LIST}/${U.c}`)).status).toBe(404);
  });

  it('§3.8 the TET attributes, plus the program attributes with ?program=', async () => {
    const e = await seeded('2.41');
    const plain = await e.get(`${LIST}/${U.a}`);
    const withProgram = await e.get(`${LIST}/${U.a}?program=${PROGRAM}`);
    const ids = (b: { attributes: { attribute: string }[] }) => b.attributes.map((a) => a.attribute).sort();
    expect(ids(plain.body)).toEqual([A.firstName, A.nationalId].sort());
    expect(ids(withProgram.body)).toEqual([A.firstName, A.nationalId, A.gender].sort());
    expect(plain.body).toMatchObject({ trackedEntity: U.a, updatedAt: expect.any(String), createdAt: expect.any(String) });
    expect('enrollments' in plain.body).toBe(false);
  });

  it('§3.8 unknown ?program= → 404 (2.40+ E1005)', async () => {
    const e = await seeded('2.41');
    const r = await e.get(`${LIST}/${U.a}?program=NoSuchProg1`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ message: 'Program with id NoSuchProg1 could not be found.', errorCode: 'E1005' });
  });
});
