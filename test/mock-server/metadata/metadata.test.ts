import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

const OU = DEMO_IDS.orgUnits;
const AT = DEMO_IDS.attributes;

describe('§5 metadata lists: pager, default fields, paging=false', () => {
  it.each([
    ['organisationUnits', 10], ['trackedEntityTypes', 1], ['trackedEntityAttributes', 9], ['programs', 2], ['optionSets', 2], ['programStages', 3], ['dataElements', 10],
  ] as const)('§5 GET /api/%s → pager + id,displayName', async (collection, total) => {
    const e = await emulator();
    const res = await e.get(`/api/${collection}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['pager', collection]);
    expect(res.body.pager).toEqual({ page: 1, pageCount: 1, total, pageSize: 50 });
    for (const item of res.body[collection]) expect(Object.keys(item).sort()).toEqual(['displayName', 'id']);
  });

  it('§5 paging=false drops the pager', async () => {
    const e = await emulator();
    const res = await e.get('/api/organisationUnits?paging=false');
    expect(Object.keys(res.body)).toEqual(['organisationUnits']);
    expect(res.body.organisationUnits).toHaveLength(10);
  });

  it('§5 pageSize/page slice and the pager links to the next page', async () => {
    const e = await emulator();
    const res = await e.get('/api/organisationUnits?pageSize=3&page=2');
    expect(res.body.pager).toMatchObject({ page: 2, pageCount: 4, total: 10, pageSize: 3 });
    expect(res.body.pager.nextPage).toMatch(/\/api\/organisationUnits\?page=3&pageSize=3$/);
    expect(res.body.pager.prevPage).toMatch(/\/api\/organisationUnits\?pageSize=3$/);
    expect(res.body.organisationUnits).toHaveLength(3);
  });
});

describe('§5 metadata objects: fields', () => {
  it('§5 organisationUnits with fields=* carry path, level, parent and children as references', async () => {
    const e = await emulator();
    const bo = (await e.get(`/api/organisationUnits/${OU.bo}`)).body;
    expect(bo).toMatchObject({ id: OU.bo, name: 'Bo', displayName: 'Bo', code: 'OU_264', level: 2, path: `/${OU.sierraLeone}/${OU.bo}`, parent: { id: OU.sierraLeone } });
    expect(bo.children).toEqual([{ id: OU.badjia }, { id: OU.bargbe }]);
  });

  it('§5 nested field lists reach into references: children[id,name,level]', async () => {
    const e = await emulator();
    const bo = (await e.get(`/api/organisationUnits/${OU.bo}?fields=id,children[id,name,level]`)).body;
    expect(bo).toEqual({ id: OU.bo, children: [{ id: OU.badjia, name: 'Badjia', level: 3 }, { id: OU.bargbe, name: 'Bargbe', level: 3 }] });
  });

  it('§5 trackedEntityTypes: trackedEntityTypeAttributes with attribute reference, mandatory, valueType', async () => {
    const e = await emulator();
    const list = (await e.get('/api/trackedEntityTypes?fields=*&paging=false')).body.trackedEntityTypes;
    expect(list).toHaveLength(1);
    const tet = list[0];
    expect(tet).toMatchObject({ id: DEMO_IDS.trackedEntityType, name: 'Person', featureType: 'NONE' });
    expect(tet.trackedEntityTypeAttributes).toContainEqual(expect.objectContaining({
      trackedEntityAttribute: { id: AT.firstName }, mandatory: true, valueType: 'TEXT', displayName: 'Person First name',
    }));
  });

  it('§5 trackedEntityAttributes: unique, orgunitScope, valueType, optionSet reference', async () => {
    const e = await emulator();
    const res = await e.get(`/api/trackedEntityAttributes?fields=id,unique,orgunitScope,valueType,optionSet&paging=false`);
    const byId = Object.fromEntries(res.body.trackedEntityAttributes.map((a: { id: string }) => [a.id, a]));
    expect(byId[AT.nationalId]).toEqual({ id: AT.nationalId, unique: true, orgunitScope: false, valueType: 'TEXT' });
    expect(byId[AT.facilityRegNo]).toMatchObject({ unique: true, orgunitScope: true });
    expect(byId[AT.gender].optionSet).toEqual({ id: DEMO_IDS.optionSets.gender });
  });

  it('§5 programs: programTrackedEntityAttributes with nested attribute fields', async () => {
    const e = await emulator();
    const p = (await e.get(`/api/programs/${DEMO_IDS.program}?fields=id,programType,trackedEntityType,programTrackedEntityAttributes[mandatory,trackedEntityAttribute[id,unique]]`)).body;
    expect(p).toMatchObject({ id: DEMO_IDS.program, programType: 'WITH_REGISTRATION', trackedEntityType: { id: DEMO_IDS.trackedEntityType } });
    expect(p.programTrackedEntityAttributes[0]).toEqual({ mandatory: true, trackedEntityAttribute: { id: AT.firstName, unique: false } });
  });

  it('§5 optionSets: options[code,name]', async () => {
    const e = await emulator();
    const s = (await e.get(`/api/optionSets/${DEMO_IDS.optionSets.gender}?fields=options[code,name]`)).body;
    expect(s).toEqual({ options: [{ code: 'Male', name: 'Male' }, { code: 'Female', name: 'Female' }] });
  });

  it('§5 exclusions: fields=*,!children', async () => {
    const e = await emulator();
    const bo = (await e.get(`/api/organisationUnits/${OU.bo}?fields=*,!children`)).body;
    expect(bo.children).toBeUndefined();
    expect(bo.path).toBeDefined();
  });
});

describe('§5 metadata filter', () => {
  const cases: [string, string, string[]][] = [
    ['§5 unique:eq:true', '/api/trackedEntityAttributes?filter=unique:eq:true', [AT.facilityRegNo, AT.nationalId]],
    ['§5 id:in:[a,b]', `/api/organisationUnits?filter=id:in:[${OU.bo},${OU.bombali}]`, [OU.bo, OU.bombali]],
    ['§5 level:eq:3 AND parent.id:eq:Bo', `/api/organisationUnits?filter=level:eq:3&filter=parent.id:eq:${OU.bo}`, [OU.badjia, OU.bargbe]],
    ['§5 rootJunction=OR', `/api/organisationUnits?filter=level:eq:1&filter=code:eq:OU_264&rootJunction=OR`, [OU.sierraLeone, OU.bo]],
    ['§5 name:ilike (case-insensitive substring)', '/api/organisationUnits?filter=name:ilike:chc', [OU.ngelehun, OU.kamaranka]],
    ['§5 path:like for descendants', `/api/organisationUnits?filter=path:like:${OU.bombali}`, [OU.bombali, OU.biriwa, OU.kamaranka]],
    ['§5 optionSet.id:eq', `/api/trackedEntityAttributes?filter=optionSet.id:eq:${DEMO_IDS.optionSets.gender}`, [AT.gender]],
  ];
  it.each(cases)('%s', async (_name, path, expected) => {
    const e = await emulator();
    const res = await e.get(`${path}&paging=false`);
    expect(res.status).toBe(200);
    const key = Object.keys(res.body)[0];
    expect(res.body[key].map((x: { id: string }) => x.id).sort()).toEqual([...expected].sort());
  });

  it.each([['2.40', 409, undefined], ['2.41', 400, 'E1003']] as const)('§5 a bad filter on %s → %s', async (v, status, errorCode) => {
    const e = await emulator({ dhis2Version: v });
    for (const [filter, message] of [['name', 'Invalid filter => name'], ['name:xx:1', '`xx` is not a valid operator.'], ['nope:eq:1', 'Unknown path property: nope']]) {
      const res = await e.get(`/api/organisationUnits?filter=${filter}`);
      expect(res.status).toBe(status);
      expect(res.body.message).toBe(message);
      expect(res.body.errorCode).toBe(errorCode);
    }
  });
});

describe('§5 metadata 404', () => {
  it.each([
    ['2.40', 'programs', 'Program', undefined], ['2.41', 'organisationUnits', 'OrganisationUnit', 'E1005'],
    ['2.35', 'trackedEntityTypes', 'TrackedEntityType', undefined], ['2.42', 'trackedEntityAttributes', 'TrackedEntityAttribute', 'E1005'],
    ['2.39', 'optionSets', 'OptionSet', undefined],
  ] as const)('§5 on %s an unknown id in %s → 404 "%s with id … could not be found."', async (v, collection, type, errorCode) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(`/api/${collection}/Xxxxxxxxxx1`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: `${type} with id Xxxxxxxxxx1 could not be found.`,
      ...(errorCode ? { errorCode } : {}),
    });
  });

  it('§5 metadata is readable by the restricted user too', async () => {
    const e = await emulator();
    const { BO_CLERK } = await import('../helpers.js');
    expect((await e.get('/api/programs', BO_CLERK)).status).toBe(200);
  });
});
