import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { AT, emulator, LEGACY_VERSIONS, OU, PROGRAM, TEI_PATH, TET } from './support.js';

const q = (params: string) => `${TEI_PATH}?${params}`;
const noPrgOrTet = 'Either Program or Tracked entity type should be specified';
const noOu = 'At least one organisation unit must be specified';
const before237 = (v: string) => v === '2.35' || v === '2.36';

describe('§2.2 GET /api/trackedEntityInstances — mandatory parameters, last rule wins', () => {
  it.each(LEGACY_VERSIONS)('§2.2 no parameters at all on %s → 409 with the last violated rule', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(TEI_PATH);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message: before237(v) ? noOu : noPrgOrTet });
  });

  it.each(LEGACY_VERSIONS)('§2.2 ou without program or type on %s → 200 before 2.37, 409 from 2.37', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(q(`ou=${OU.ngelehun}`));
    if (before237(v)) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ trackedEntityInstances: [] });
    } else {
      expect(res.status).toBe(409);
      expect(res.body.message).toBe(noPrgOrTet);
    }
  });

  it.each(LEGACY_VERSIONS)('§2.2 trackedEntityInstance UIDs satisfy the org-unit and program/type rules on %s', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(q('trackedEntityInstance=Abcdefghij1;Abcdefghij2'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ trackedEntityInstances: [] });
  });

  it.each(['2.40', '2.41'] as const)('§2.2 ou together with ouMode=ACCESSIBLE on %s', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(q(`ou=${OU.bo}&ouMode=ACCESSIBLE&trackedEntityType=${TET}`));
    if (v === '2.41') {
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('ouMode ACCESSIBLE cannot be used with orgUnits. Please remove the ou parameter and try again.');
    } else {
      expect(res.status).toBe(200);
    }
  });

  const cases: [string, string, string][] = [
    ['§2.2 program and type together', `ou=${OU.bo}&program=${PROGRAM}&trackedEntityType=${TET}`, 'Program and tracked entity cannot be specified simultaneously'],
    ['§2.2 unknown org unit', `ou=Xxxxxxxxxx1&trackedEntityType=${TET}`, 'Organisation unit does not exist: Xxxxxxxxxx1'],
    ['§2.2 unknown program', `ou=${OU.bo}&program=Xxxxxxxxxx2`, 'Program does not exist: Xxxxxxxxxx2'],
    ['§2.2 unknown tracked entity type', `ou=${OU.bo}&trackedEntityType=Xxxxxxxxxx3`, 'Tracked entity type does not exist: Xxxxxxxxxx3'],
    ['§2.2 filter on an unknown attribute', `ou=${OU.bo}&trackedEntityType=${TET}&filter=Xxxxxxxxxx4:EQ:a`, 'Attribute does not exist: Xxxxxxxxxx4'],
    ['§2.2 filter with a wrong number of parts', `ou=${OU.bo}&trackedEntityType=${TET}&filter=${AT.nationalId}:EQ`, `Query item or filter is invalid: ${AT.nationalId}:EQ`],
    ['§2.2 the same attribute filtered twice', `ou=${OU.bo}&trackedEntityType=${TET}&filter=${AT.nationalId}:EQ:a&filter=${AT.nationalId}:LIKE:b`, `Filters cannot be specified more than once: [${AT.nationalId}]`],
    ['§2.2 query together with filter', `ou=${OU.bo}&trackedEntityType=${TET}&query=joe&filter=${AT.firstName}:EQ:joe`, 'Query cannot be specified together with filters'],
    ['§2.2 programStatus without program', `ou=${OU.bo}&trackedEntityType=${TET}&programStatus=ACTIVE`, 'Program must be defined when program status is defined'],
    ['§2.2 lastUpdatedDuration with a start date', `ou=${OU.bo}&trackedEntityType=${TET}&lastUpdatedDuration=5d&lastUpdatedStartDate=2024-01-01`, 'Last updated from and/or to and last updated duration cannot be specified simultaneously'],
    ['§2.2 last rule wins: no ou and program+type on 2.40 → the program/type rule', `program=${PROGRAM}&trackedEntityType=${TET}`, 'Program and tracked entity cannot be specified simultaneously'],
  ];
  it.each(cases)('%s → 409', async (_name, params, message) => {
    const e = await emulator({ dhis2Version: '2.40' });
    const res = await e.get(q(params));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message });
  });
});

describe('§2.2 search and capture scope of the restricted user', () => {
  it('§2.2 ou outside the search scope → 409', async () => {
    const e = await emulator();
    const res = await e.get(q(`ou=${OU.bombali}&trackedEntityType=${TET}`), BO_CLERK);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`Organisation unit is not part of the search scope: ${OU.bombali}`);
  });

  it('§2.2 ouMode=ALL without F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS → 409', async () => {
    const e = await emulator();
    const res = await e.get(q(`ouMode=ALL&trackedEntityType=${TET}`), BO_CLERK);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Current user is not authorized to query across all organisation units');
  });

  it('§2.2 ouMode=ALL for the superuser → 200', async () => {
    const e = await emulator();
    const res = await e.get(q(`ouMode=ALL&trackedEntityType=${TET}`));
    expect(res.status).toBe(200);
  });
});

describe('§2.2 order', () => {
  it.each(LEGACY_VERSIONS)('§2.2 an unknown order property on %s → 409 from 2.39, ignored before', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get(q(`ou=${OU.bo}&trackedEntityType=${TET}&order=bogus:desc`));
    if (['2.39', '2.40', '2.41'].includes(v)) {
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('Invalid order property: bogus');
    } else {
      expect(res.status).toBe(200);
    }
  });
});
