import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { A, codes, nid, OU, PROGRAM, sync, te, TET, U, withVersion } from './fixtures.js';

const body = { trackedEntities: [te(U.a, [nid('ABC-1')])] };

describe('POST /api/tracker: sync or async (§3.1)', () => {
  it.each([
    ['2.36', 'async=false', 'sync'],
    ['2.38', 'async=no', 'async'],
    ['2.40', 'async=0', 'async'],
    ['2.41', 'async=FALSE', 'async'],
    ['2.41', '', 'async'],
    ['2.42', 'async=FALSE', 'sync'],
    ['2.42', 'async=0', 'sync'],
    ['2.42', 'async=true', 'async'],
    ['2.42', '', 'async'],
  ])('§3.1 %s with "%s" is %s (exact async=false up to 2.41, a boolean from 2.42)', async (version, query, kind) => {
    const e = await withVersion(version);
    const r = await e.post(`/api/tracker${query ? `?${query}` : ''}`, body);
    expect(r.status).toBe(200);
    if (kind === 'sync') expect(r.body).toMatchObject({ status: 'OK', stats: { created: 1 } });
    else expect(r.body).toMatchObject({ httpStatusCode: 200, message: 'Tracker job added' });
  });

  it('§3.1 2.42 rejects a non-boolean async value', async () => {
    const e = await withVersion('2.42');
    const r = await e.post('/api/tracker?async=maybe', body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('async');
  });

  it.each([
    ['2.35', 'POST', '/api/tracker', 501],
    ['2.35', 'GET', '/api/tracker/trackedEntities', 404],
  ])('§0 %s keeps the stub: %s %s → %i', async (version, method, path, status) => {
    const e = await withVersion(version);
    const r = method === 'POST' ? await e.post(path, body) : await e.get(path);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ httpStatusCode: status, status: 'ERROR' });
  });
});

describe('import parameters (§3.1)', () => {
  it.each([
    ['2.36', 'importStrategy=BOGUS'],
    ['2.37', 'atomicMode=SOMETIMES'],
  ])('§3.1 %s: an unknown enum value silently falls back to the default (%s)', async (version, query) => {
    const e = await withVersion(version);
    const r = await sync(e, body, query);
    expect(r.status).toBe(200);
    expect(r.body.stats.created).toBe(1);
  });

  it.each([
    ['2.38', 'importStrategy', 'BOGUS', '[CREATE_AND_UPDATE, CREATE, UPDATE, DELETE]'],
    ['2.40', 'atomicMode', 'SOME', '[ALL, OBJECT]'],
    ['2.41', 'importMode', 'DRY', '[COMMIT, VALIDATE]'],
    ['2.41', 'validationMode', 'NONE', '[FULL, FAIL_FAST, SKIP]'],
    ['2.42', 'reportMode', 'ALL', '[ERRORS, WARNINGS, FULL]'],
    ['2.39', 'flushMode', 'NOW', '[AUTO, OBJECT]'],
  ])('§3.1 %s: unknown %s=%s → 400 listing the allowed values', async (version, name, value, allowed) => {
    const e = await withVersion(version);
    const r = await sync(e, body, `${name}=${value}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(`Value '${value}' is not valid for parameter ${name}. Valid values are: ${allowed}`);
    expect(e.mock.store.size).toBe(0);
  });

  it('§3.1 enum values are matched without regard to case', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, body, 'importStrategy=create');
    expect(r.status).toBe(200);
  });

  it('§3.1 CREATE_AND_UPDATE (default) creates, then updates the same UID', async () => {
    const e = await withVersion('2.41');
    const first = await sync(e, body);
    const second = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: 'Doe' }])] });
    expect(first.body.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 });
    expect(second.body.stats).toEqual({ created: 0, updated: 1, deleted: 0, ignored: 0, total: 1 });
    expect(e.mock.store.size).toBe(1);
  });

  it('§3.1 DELETE is soft: stats.deleted, then the GET answers 404', async () => {
    const e = await withVersion('2.41');
    await sync(e, body);
    const r = await sync(e, { trackedEntities: [{ trackedEntity: U.a }] }, 'importStrategy=DELETE');
    expect(r.body.stats).toMatchObject({ deleted: 1 });
    expect(e.mock.store.get(U.a)?.deleted).toBe(true);
    expect((await e.get(`/api/tracker/trackedEntities/${U.a}`)).status).toBe(404);
  });

  it('§3.1 a missing UID is minted before validation: the report names it', async () => {
    const e = await withVersion('2.40');
    const r = await sync(e, { trackedEntities: [te(undefined, [{ attribute: A.weight, value: 'abc' }])] });
    const uid = r.body.validationReport.errorReports[0].uid;
    expect(uid).toMatch(/^[a-zA-Z][a-zA-Z0-9]{10}$/);
    const ok = await sync(e, { trackedEntities: [te(undefined)] });
    expect(ok.body.bundleReport.typeReportMap.TRACKED_ENTITY.objectReports[0].uid).toMatch(/^[a-zA-Z][a-zA-Z0-9]{10}$/);
  });

  it('§3.1 generated UIDs replay from the seed', async () => {
    const uids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const e = await withVersion('2.41', { seed: 7 });
      const r = await sync(e, { trackedEntities: [te(undefined)] });
      uids.push(r.body.bundleReport.typeReportMap.TRACKED_ENTITY.objectReports[0].uid);
    }
    expect(uids[0]).toBe(uids[1]);
  });
});

describe('atomicMode, importMode, validationMode (§3.1, §3.2)', () => {
  const mixed = { trackedEntities: [te(U.a), te(U.b, [{ attribute: A.weight, value: 'abc' }])] };

  it.each(['2.36', '2.41'])('§3.2 %s atomicMode=ALL: one invalid object → 409, nothing committed, ignored = all', async (version) => {
    const e = await withVersion(version);
    const r = await sync(e, mixed);
    expect(r.status).toBe(409);
    expect(r.body.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 2, total: 2 });
    expect(r.body.bundleReport).toBeUndefined();
    expect(e.mock.store.size).toBe(0);
  });

  it.each(['2.38', '2.41', '2.42'])('§3.2 %s atomicMode=OBJECT: valid objects commit, status OK, HTTP 200, errors listed', async (version) => {
    const e = await withVersion(version);
    const r = await sync(e, mixed, 'atomicMode=OBJECT');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('OK');
    expect(r.body.validationReport.errorReports.map((x: { uid: string }) => x.uid)).toContain(U.b);
    expect(r.body.bundleReport.typeReportMap.TRACKED_ENTITY.stats).toMatchObject({ created: 1, ignored: 1, total: 2 });
    expect(e.mock.store.has(U.a)).toBe(true);
    expect(e.mock.store.has(U.b)).toBe(false);
  });

  it('§3.1 importMode=VALIDATE validates without committing', async () => {
    const e = await withVersion('2.40');
    const ok = await sync(e, body, 'importMode=VALIDATE');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'OK', stats: { created: 0, ignored: 0 }, bundleReport: { typeReportMap: {} } });
    const bad = await sync(e, mixed, 'importMode=VALIDATE');
    expect(bad.status).toBe(409);
    expect(e.mock.store.size).toBe(0);
  });

  it('§3.1 validationMode=SKIP (superuser) skips the checks, so a duplicate value is stored', async () => {
    const e = await withVersion('2.41');
    await sync(e, body);
    const r = await sync(e, { trackedEntities: [te(U.b, [nid('ABC-1')])] }, 'validationMode=SKIP');
    expect(r.status).toBe(200);
    expect(e.mock.admin.invariants([A.nationalId]).ok).toBe(false);
  });

  it('§3.1 validationMode=SKIP is ignored for a non-superuser', async () => {
    const e = await withVersion('2.41');
    await sync(e, body);
    const r = await sync(e, { trackedEntities: [te(U.b, [nid('ABC-1')])] }, 'validationMode=SKIP', BO_CLERK);
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(['E1064']);
  });

  it('§3.1 validationMode=FAIL_FAST reports the first invalid object only', async () => {
    const e = await withVersion('2.41');
    const twoBad = { trackedEntities: [te(U.a, [{ attribute: A.weight, value: 'x' }]), te(U.b, [{ attribute: A.weight, value: 'y' }])] };
    const full = await sync(e, twoBad);
    const fast = await sync(e, twoBad, 'validationMode=FAIL_FAST');
    expect(full.body.validationReport.errorReports).toHaveLength(2);
    expect(fast.body.validationReport.errorReports.map((x: { uid: string }) => x.uid)).toEqual([U.a]);
  });

  it.each([
    ['2.40', 'FULL', true],
    ['2.40', 'ERRORS', false],
    ['2.41', 'FULL', false],
  ])('§3.6 %s reportMode=%s: timingsStats present = %s', async (version, mode, present) => {
    const e = await withVersion(version);
    const r = await sync(e, body, `reportMode=${mode}`);
    expect('timingsStats' in r.body).toBe(present);
  });
});

describe('flat and nested payloads (§3.1 Body)', () => {
  it('§3.1 a nested enrollment is flattened and points at its TE', async () => {
    const e = await withVersion('2.41');
    const enrollment = { enrollment: U.en1, program: PROGRAM, orgUnit: OU.ngelehun, enrolledAt: '2024-01-01', occurredAt: '2024-01-01' };
    const r = await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enrollment] })] });
    expect(r.status).toBe(200);
    expect(r.body.bundleReport.typeReportMap.ENROLLMENT.stats).toMatchObject({ created: 1 });
    expect(e.mock.store.get(U.a)?.enrollments.map((x) => x.uid)).toEqual([U.en1]);
  });

  it('§3.1 a flat enrollment references a TE of the same payload', async () => {
    const e = await withVersion('2.40');
    const enrollment = { enrollment: U.en1, trackedEntity: U.a, program: PROGRAM, orgUnit: OU.ngelehun, enrolledAt: '2024-01-01', occurredAt: '2024-01-01' };
    const r = await sync(e, { trackedEntities: [te(U.a)], enrollments: [enrollment] });
    expect(r.status).toBe(200);
    expect(r.body.stats).toMatchObject({ created: 2, total: 2 });
  });

  it('§1 a body of the wrong shape is a 400 mapping error on the new API', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, { trackedEntities: { trackedEntity: U.a } });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('Cannot deserialize');
  });

  it('§1 an empty string reads as null: a missing orgUnit', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, { trackedEntities: [{ ...te(U.a), orgUnit: '', trackedEntityType: TET }] });
    expect(codes(r.body)).toEqual(['E1121']);
  });
});
