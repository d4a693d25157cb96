import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { AT, create, emulator, OU, person, PROGRAM, TEI_PATH, TET, type Emu } from './support.js';

/** Three people: two in Bo (Ngelehun, Njandama), one in Bombali (Kamaranka); Ama is enrolled. */
async function seeded(version = '2.40') {
  const e = await emulator({ dhis2Version: version });
  const ama = await create(e, person({ enrollments: [{ program: PROGRAM, orgUnit: OU.ngelehun, enrollmentDate: '2024-01-01', incidentDate: '2024-01-01' }] },
    { [AT.firstName]: 'Ama', [AT.nationalId]: 'NID-001', [AT.weight]: '12.5' }));
  const bob = await create(e, person({ orgUnit: OU.njandama }, { [AT.firstName]: 'Bob', [AT.nationalId]: 'nid-002', [AT.weight]: '30' }));
  const cy = await create(e, person({ orgUnit: OU.kamaranka }, { [AT.firstName]: 'Cyril', [AT.nationalId]: 'XID-003', [AT.weight]: '7' }));
  return { e, ama, bob, cy };
}

async function uids(e: Emu, params: string, auth?: string): Promise<string[]> {
  const res = await e.get(`${TEI_PATH}?${params}`, auth);
  expect(res.status).toBe(200);
  return res.body.trackedEntityInstances.map((t: { trackedEntityInstance: string }) => t.trackedEntityInstance).sort();
}

const all = `ou=${OU.sierraLeone}&ouMode=DESCENDANTS&trackedEntityType=${TET}`;
type Who = 'ama' | 'bob' | 'cy';

describe('§2.2 filters: EQ NE LIKE IN GT GE LT LE, case-insensitive', () => {
  const cases: [string, string, Who[]][] = [
    ['§2.2 EQ matches case-insensitively', `filter=${AT.nationalId}:EQ:nid-001`, ['ama']],
    ['§2.2 eq operator token is case-insensitive', `filter=${AT.nationalId}:eq:NID-002`, ['bob']],
    ['§2.2 NE excludes the value (and entities without one)', `filter=${AT.nationalId}:NE:nid-001`, ['bob', 'cy']],
    ['§2.2 LIKE is a substring match', `filter=${AT.nationalId}:LIKE:id-00`, ['ama', 'bob', 'cy']],
    ['§2.2 IN takes ;-separated values', `filter=${AT.nationalId}:IN:nid-001;XID-003`, ['ama', 'cy']],
    ['§2.2 GT compares numbers numerically', `filter=${AT.weight}:GT:10`, ['ama', 'bob']],
    ['§2.2 GE includes the bound', `filter=${AT.weight}:GE:30`, ['bob']],
    ['§2.2 LT', `filter=${AT.weight}:LT:12.5`, ['cy']],
    ['§2.2 LE with two conditions on one attribute', `filter=${AT.weight}:GE:7:LE:12.5`, ['ama', 'cy']],
    ['§2.2 attribute= filters like filter=', `attribute=${AT.firstName}:EQ:bob`, ['bob']],
    ['§2.2 query= searches every attribute (LIKE)', 'query=cyr', ['cy']],
    ['§2.2 query=EQ:text is an exact match', 'query=EQ:ama', ['ama']],
  ];
  it.each(cases)('%s', async (_name, filter, expected) => {
    const s = await seeded();
    expect(await uids(s.e, `${all}&${filter}`)).toEqual(expected.map((w) => s[w]).sort());
  });
});

describe('§2.2 ouMode', () => {
  const cases: [string, string, Who[], string?][] = [
    ['§2.2 SELECTED (default) is the exact org unit', `ou=${OU.ngelehun}&trackedEntityType=${TET}`, ['ama']],
    ['§2.2 SELECTED on a parent finds nothing below it', `ou=${OU.badjia}&trackedEntityType=${TET}`, []],
    ['§2.2 CHILDREN adds the direct children', `ou=${OU.badjia}&ouMode=CHILDREN&trackedEntityType=${TET}`, ['ama', 'bob']],
    ['§2.2 DESCENDANTS follows the path', `ou=${OU.bo}&ouMode=DESCENDANTS&trackedEntityType=${TET}`, ['ama', 'bob']],
    ['§2.2 ACCESSIBLE = search scope and below (superuser: all)', `ouMode=ACCESSIBLE&trackedEntityType=${TET}`, ['ama', 'bob', 'cy']],
    ['§2.2 ACCESSIBLE for the restricted user stops at Bo', `ouMode=ACCESSIBLE&trackedEntityType=${TET}`, ['ama', 'bob'], BO_CLERK],
    ['§2.2 CAPTURE for the restricted user stops at Bo', `ouMode=CAPTURE&trackedEntityType=${TET}`, ['ama', 'bob'], BO_CLERK],
    ['§2.2 ALL for the superuser', `ouMode=ALL&trackedEntityType=${TET}`, ['ama', 'bob', 'cy']],
    ['§2.2 program restricts to enrolled TEIs (owner org unit)', `ou=${OU.bo}&ouMode=DESCENDANTS&program=${PROGRAM}`, ['ama']],
    ['§2.2 trackedEntityInstance narrows by UID', 'trackedEntityInstance=AMA', ['ama']],
  ];
  it.each(cases)('%s', async (_name, params, expected, auth) => {
    const s = await seeded();
    const p = params.replace('AMA', s.ama);
    expect(await uids(s.e, p, auth)).toEqual(expected.map((w) => s[w]).sort());
  });
});

describe('§2.2 deleted, lastUpdated, paging, order, fields', () => {
  it('§2.2 soft-deleted TEIs are hidden unless includeDeleted=true', async () => {
    const s = await seeded();
    await s.e.del(`${TEI_PATH}/${s.bob}`);
    expect(await uids(s.e, all)).toEqual([s.ama, s.cy].sort());
    const res = await s.e.get(`${TEI_PATH}?${all}&includeDeleted=true&filter=${AT.firstName}:EQ:bob`);
    expect(res.body.trackedEntityInstances).toHaveLength(1);
    expect(res.body.trackedEntityInstances[0].deleted).toBe(true);
  });

  it('§2.2 lastUpdatedStartDate in the future finds nothing; in the past finds all', async () => {
    const s = await seeded();
    expect(await uids(s.e, `${all}&lastUpdatedStartDate=2999-01-01`)).toEqual([]);
    expect(await uids(s.e, `${all}&lastUpdatedStartDate=2000-01-01`)).toHaveLength(3);
  });

  it('§2.2 a pager only with totalPages=true', async () => {
    const s = await seeded();
    const plain = await s.e.get(`${TEI_PATH}?${all}`);
    expect(Object.keys(plain.body)).toEqual(['trackedEntityInstances']);
    const paged = await s.e.get(`${TEI_PATH}?${all}&totalPages=true&pageSize=2`);
    expect(paged.body.pager).toEqual({ page: 1, pageCount: 2, total: 3, pageSize: 2 });
    expect(paged.body.trackedEntityInstances).toHaveLength(2);
  });

  it('§2.2 page/pageSize slice in creation order; order=created:desc reverses', async () => {
    const s = await seeded();
    const second = await s.e.get(`${TEI_PATH}?${all}&pageSize=1&page=2`);
    expect(second.body.trackedEntityInstances.map((t: { trackedEntityInstance: string }) => t.trackedEntityInstance)).toEqual([s.bob]);
    const desc = await s.e.get(`${TEI_PATH}?${all}&order=created:desc,trackedEntityInstance:desc`);
    expect(desc.body.trackedEntityInstances[0].trackedEntityInstance).not.toBe(s.ama);
  });

  it.each(['2.35', '2.36', '2.41'] as const)('§2.2 skipPaging=true returns all; paging=false does so only on 2.35 (%s)', async (v) => {
    const s = await seeded(v);
    expect(await uids(s.e, `${all}&pageSize=1&skipPaging=true`)).toHaveLength(3);
    expect(await uids(s.e, `${all}&pageSize=1&paging=false`)).toHaveLength(v === '2.35' ? 3 : 1);
  });

  it('§2.2 fields projects nested attribute lists', async () => {
    const s = await seeded();
    const res = await s.e.get(`${TEI_PATH}?trackedEntityInstance=${s.bob}&fields=trackedEntityInstance,attributes[attribute,value]`);
    expect(res.body.trackedEntityInstances[0]).toEqual({
      trackedEntityInstance: s.bob,
      attributes: expect.arrayContaining([{ attribute: AT.firstName, value: 'Bob' }, { attribute: AT.nationalId, value: 'nid-002' }]),
    });
    expect(Object.keys(res.body.trackedEntityInstances[0].attributes[0])).toEqual(['attribute', 'value']);
  });

  it('§2.2 enrollments and programOwners are [] unless fields=* loads them', async () => {
    const s = await seeded();
    const plain = await s.e.get(`${TEI_PATH}?trackedEntityInstance=${s.ama}`);
    expect(plain.body.trackedEntityInstances[0].enrollments).toEqual([]);
    const deep = await s.e.get(`${TEI_PATH}?trackedEntityInstance=${s.ama}&fields=*`);
    expect(deep.body.trackedEntityInstances[0].enrollments).toHaveLength(1);
    expect(deep.body.trackedEntityInstances[0].programOwners).toEqual([{ ownerOrgUnit: OU.ngelehun, program: PROGRAM, trackedEntityInstance: s.ama }]);
  });
});
