import { describe, expect, it } from 'vitest';
import type { RaceWindowInfo } from '../../../mock-server/dhis2/uniqueness.js';
import { A, codes, firstError, nid, OU, sync, te, U, withVersion, type Emu } from './fixtures.js';

const valuesOf = (e: Emu, uid: string) =>
  Object.fromEntries((e.mock.store.get(uid)?.attributes ?? []).map((a) => [a.attribute, a.value]));

describe('update semantics (§3.3)', () => {
  it.each(['2.36', '2.40', '2.42'])('§3.3 %s: sent attributes merge, omitted ones are kept', async (version) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1'), { attribute: A.lastName, value: 'Doe' }])] });
    const r = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.phone, value: '+23212345' }])] });
    expect(r.body.stats.updated).toBe(1);
    expect(valuesOf(e, U.a)).toEqual({ [A.firstName]: 'Joe', [A.nationalId]: 'ABC-1', [A.lastName]: 'Doe', [A.phone]: '+23212345' });
  });

  it.each([
    ['§3.3 an empty string deletes the stored value', ''],
    ['§3.3 null deletes the stored value', null],
  ])('%s', async (_name, value) => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: 'Doe' }])] });
    await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value }])] });
    expect(valuesOf(e, U.a)).toEqual({ [A.firstName]: 'Joe' });
  });

  it('§3.3 an empty attribute list changes nothing (2.42: mandatory attributes come from stored values)', async () => {
    const e = await withVersion('2.42');
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    const r = await sync(e, { trackedEntities: [{ ...te(U.a), attributes: [] }] });
    expect(r.status).toBe(200);
    expect(valuesOf(e, U.a)).toEqual({ [A.firstName]: 'Joe', [A.nationalId]: 'ABC-1' });
  });

  it('§3.3 orgUnit and inactive are taken from the payload', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a, [], { inactive: true })] });
    await sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.njandama })] });
    expect(e.mock.store.get(U.a)).toMatchObject({ orgUnit: OU.njandama, inactive: false });
  });

  it('§3.3 the tracker does not trim values', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: '  Doe ' }])] });
    expect(valuesOf(e, U.a)[A.lastName]).toBe('  Doe ');
  });
});

describe('uniqueness (§3.4)', () => {
  it('§3.4 comparison is case-sensitive: ABC-1 and abc-1 can coexist', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    const r = await sync(e, { trackedEntities: [te(U.b, [nid('abc-1')])] });
    expect(r.status).toBe(200);
  });

  it.each(['2.37', '2.41', '2.42'])('§3.4 %s: a soft-deleted holder still blocks the value', async (version) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    await sync(e, { trackedEntities: [{ trackedEntity: U.a }] }, 'importStrategy=DELETE');
    const r = await sync(e, { trackedEntities: [te(U.b, [nid('ABC-1')])] });
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(['E1064']);
  });

  it('§3.4 duplicates inside one payload are all flagged', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, { trackedEntities: [te(U.a, [nid('DUP')]), te(U.b, [nid('DUP')]), te(U.c, [nid('OTHER')])] }, 'atomicMode=OBJECT');
    expect(r.body.validationReport.errorReports.map((x: { uid: string; errorCode: string }) => `${x.errorCode}:${x.uid}`)).toEqual([`E1064:${U.a}`, `E1064:${U.b}`]);
    expect([...e.mock.store.all()].map((x) => x.uid)).toEqual([U.c]);
  });

  it('§3.4 a TE re-sending its own stored value is not a duplicate', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    const r = await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    expect(r.status).toBe(200);
  });

  it.each([
    ['§3.4 orgunitScope: the same value in another org unit is allowed', OU.njandama, 200],
    ['§3.4 orgunitScope: the same value in the same org unit is refused', OU.ngelehun, 409],
    ['§3.4 orgunitScope: exact org unit, not the hierarchy (parent unit allowed)', OU.badjia, 200],
  ])('%s', async (_name, orgUnit, status) => {
    const e = await withVersion('2.40');
    await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.facilityRegNo, value: 'REG-1' }])] });
    const r = await sync(e, { trackedEntities: [te(U.b, [{ attribute: A.facilityRegNo, value: 'REG-1' }], { orgUnit })] });
    expect(r.status).toBe(status);
    if (status === 409) expect(firstError(r.body).errorCode).toBe('E1064');
  });

  it('§3.4 uniqueness mode off accepts duplicates', async () => {
    const e = await withVersion('2.41', { uniqueness: 'off' });
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    expect((await sync(e, { trackedEntities: [te(U.b, [nid('ABC-1')])] })).status).toBe(200);
  });
});

/** A race-window hook that holds every import until `n` of them are inside the window. */
function barrier(n: number) {
  const waiting: (() => void)[] = [];
  const seen: RaceWindowInfo[] = [];
  const hook = (info: RaceWindowInfo) => new Promise<void>((resolve) => {
    seen.push(info);
    waiting.push(resolve);
    if (waiting.length === n) for (const release of waiting.splice(0)) release();
  });
  return { hook, seen };
}

describe('concurrency (§3.4, §6)', () => {
  it('§3.4 racy: two concurrent imports with the same value both pass the check and both commit', async () => {
    const { hook, seen } = barrier(2);
    const e = await withVersion('2.41', { uniqueness: 'racy', raceHook: hook });
    const [r1, r2] = await Promise.all([
      sync(e, { trackedEntities: [te(U.a, [nid('RACE-1')])] }),
      sync(e, { trackedEntities: [te(U.b, [nid('RACE-1')])] }),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(seen.every((s) => s.api === 'tracker')).toBe(true);
    expect(e.mock.admin.invariants([A.nationalId]).duplicates).toHaveLength(1);
  });

  it('§3.4 atomic: of two concurrent imports with the same value, one gets E1064', async () => {
    const e = await withVersion('2.41', { uniqueness: 'atomic' });
    const [r1, r2] = await Promise.all([
      sync(e, { trackedEntities: [te(U.a, [nid('RACE-1')])] }),
      sync(e, { trackedEntities: [te(U.b, [nid('RACE-1')])] }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect(e.mock.admin.invariants([A.nationalId]).ok).toBe(true);
  });

  it('§6 racy: two concurrent creates of the same UID cannot both succeed ("Exception:")', async () => {
    const { hook } = barrier(2);
    const e = await withVersion('2.41', { uniqueness: 'racy', raceHook: hook });
    const [r1, r2] = await Promise.all([sync(e, { trackedEntities: [te(U.a)] }), sync(e, { trackedEntities: [te(U.a)] })]);
    const failed = [r1, r2].find((r) => r.status === 409)!;
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect(failed.body).toMatchObject({ status: 'ERROR' });
    expect(failed.body.message).toMatch(/^Exception:.*uk_rbr4kyuk4s0kb4jo1r77cuaq9/);
    expect(e.mock.store.size).toBe(1);
  });
});
