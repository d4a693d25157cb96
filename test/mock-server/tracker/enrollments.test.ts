import { describe, expect, it } from 'vitest';
import { A, codes, firstError, OU, PROGRAM, sync, te, U, withVersion } from './fixtures.js';

const enrollment = (extra: Record<string, unknown> = {}) => ({
  enrollment: U.en1, program: PROGRAM, orgUnit: OU.ngelehun, enrolledAt: '2024-01-01', occurredAt: '2024-01-01', ...extra,
});
const nested = (extra: Record<string, unknown> = {}) => ({ trackedEntities: [te(U.a, [], { enrollments: [enrollment(extra)] })] });

describe('enrollments inside tracker payloads (§3.2, §3.5)', () => {
  it('§3.2 create with a nested enrollment: program owner and enrollment stored, counted under ENROLLMENT', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, nested({ attributes: [{ attribute: A.gender, value: 'Female' }] }));
    expect(r.status).toBe(200);
    expect(r.body.stats).toEqual({ created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 });
    const stored = e.mock.store.get(U.a)!;
    expect(stored.enrollments[0]).toMatchObject({ uid: U.en1, program: PROGRAM, status: 'ACTIVE', enrollmentDate: '2024-01-01' });
    expect(stored.programOwners).toEqual([{ program: PROGRAM, orgUnit: OU.ngelehun }]);
    expect(stored.attributes.find((a) => a.attribute === A.gender)?.value).toBe('Female');
  });

  it('§3.2 the same enrollment UID again updates it (CREATE_AND_UPDATE)', async () => {
    const e = await withVersion('2.40');
    await sync(e, nested());
    const r = await sync(e, { trackedEntities: [te(U.a)], enrollments: [{ ...enrollment({ status: 'COMPLETED' }), trackedEntity: U.a }] });
    expect(r.body.bundleReport.typeReportMap.ENROLLMENT.stats).toMatchObject({ created: 0, updated: 1 });
    expect(e.mock.store.get(U.a)!.enrollments[0].status).toBe('COMPLETED');
  });

  it('§3.2 a flat enrollment for a stored TE enrolls it without resending the TE', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a)] });
    const r = await sync(e, { enrollments: [{ ...enrollment(), trackedEntity: U.a }] });
    expect(r.status).toBe(200);
    expect(r.body.stats).toMatchObject({ created: 1, total: 1 });
    expect(e.mock.store.get(U.a)!.enrollments).toHaveLength(1);
  });

  it.each([
    ['§3.5 E1019 a non-program attribute on the enrollment', '2.41', nested({ attributes: [{ attribute: A.nationalId, value: 'X' }] }), 'E1019', `Only Program attributes is allowed for enrollment; Non valid attribute: \`${A.nationalId}\`.`],
    ['§3.5 E1069 unknown program', '2.40', nested({ program: 'NoSuchProg1' }), 'E1069', 'Could not find Program: `NoSuchProg1`, linked to Enrollment.'],
    ['§3.5 E1070 unknown enrollment org unit', '2.40', nested({ orgUnit: 'NoSuchOu001' }), 'E1070', 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Enrollment.'],
    ['§3.5 E1122 missing program', '2.41', nested({ program: undefined }), 'E1122', 'Missing required enrollment property: `program`.'],
    ['§3.5 E1023 incident date required by the program', '2.41', nested({ occurredAt: undefined }), 'E1023', 'DisplayIncidentDate is true but property occurredAt is null or has an invalid format: `null`.'],
    ['§3.5 E1025 missing enrolledAt', '2.39', nested({ enrolledAt: undefined }), 'E1025', 'Property enrolledAt is null or has an invalid format: `null`.'],
    ['§3.5 E1041 org unit outside the program (MessageFormat drops the apostrophe)', '2.41', nested({ orgUnit: OU.bo }), 'E1041', `Enrollment OrganisationUnit: \`${OU.bo}\`, and Program: \`${PROGRAM}\`, dont match.`],
    ['§3.5 E1068 flat enrollment of an unknown TE (2.41)', '2.41', { enrollments: [{ ...enrollment(), trackedEntity: U.e }] }, 'E1068', `Could not find TrackedEntity: \`${U.e}\`, linked to Enrollment.`],
    ['§3.5 E1068 flat enrollment of an unknown TE (2.38)', '2.38', { enrollments: [{ ...enrollment(), trackedEntity: U.e }] }, 'E1068', `Could not find TrackedEntityInstance: \`${U.e}\`, linked to Enrollment.`],
  ])('%s (%s)', async (_name, version, body, code, message) => {
    const e = await withVersion(version);
    const r = await sync(e, body);
    expect(r.status).toBe(409);
    expect(firstError(r.body)).toMatchObject({ errorCode: code, message, trackerType: 'ENROLLMENT', uid: U.en1 });
    expect(e.mock.store.size).toBe(0);
  });

  it('§3.5 E1016 the program allows enrolling once', async () => {
    const e = await withVersion('2.41');
    await sync(e, nested({ status: 'COMPLETED' }));
    const r = await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enrollment({ enrollment: U.en2 })] })] });
    expect(r.status).toBe(409);
    expect(firstError(r.body)).toMatchObject({ errorCode: 'E1016', uid: U.en2 });
  });

  it('§3.5 E1080 CREATE of an existing enrollment UID', async () => {
    const e = await withVersion('2.41');
    await sync(e, nested());
    const r = await sync(e, { enrollments: [{ ...enrollment(), trackedEntity: U.a }] }, 'importStrategy=CREATE');
    expect(firstError(r.body)).toMatchObject({ errorCode: 'E1080', message: `Enrollment: \`${U.en1}\`, already exists.` });
  });

  it('§3.2 atomicMode=ALL: an invalid enrollment rejects its valid TE too (ignored counts both)', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, nested({ program: 'NoSuchProg1' }));
    expect(r.body.stats).toMatchObject({ created: 0, ignored: 2, total: 2 });
    expect(e.mock.store.size).toBe(0);
  });

  it('§3.2 atomicMode=OBJECT: the TE commits without its invalid enrollment', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, nested({ program: 'NoSuchProg1' }), 'atomicMode=OBJECT');
    expect(r.status).toBe(200);
    expect(e.mock.store.get(U.a)?.enrollments).toEqual([]);
  });

  it.each([
    ['2.39', 'E1068'],
    ['2.40', 'E5000'],
  ])('§3.2 %s atomicMode=OBJECT: the enrollment of a rejected TE cannot be persisted (%s)', async (version, code) => {
    const e = await withVersion(version);
    const body = { trackedEntities: [te(U.a, [{ attribute: A.weight, value: 'abc' }], { enrollments: [enrollment()] })] };
    const r = await sync(e, body, 'atomicMode=OBJECT');
    expect(codes(r.body)).toContain(code);
    if (code === 'E5000') {
      expect(r.body.validationReport.errorReports.find((x: { errorCode: string }) => x.errorCode === 'E5000').message)
        .toBe(`"ENROLLMENT" \`${U.en1}\` cannot be persisted because "TRACKED_ENTITY" \`${U.a}\` referenced by it cannot be persisted.`);
    }
    expect(e.mock.store.size).toBe(0);
  });

  it('§3.4 unique values sent on an enrollment take part in the uniqueness check', async () => {
    const e = await withVersion('2.41');
    // make the unique national ID a program attribute for this test
    const program = e.mock.runtime.ctx.meta.programs.get(PROGRAM)!;
    program.programTrackedEntityAttributes.push({ id: 'PteaNatId01', trackedEntityAttribute: A.nationalId, mandatory: false, searchable: true, displayInList: true });
    await sync(e, { trackedEntities: [te(U.b, [{ attribute: A.nationalId, value: 'ENR-1' }])] });
    const r = await sync(e, nested({ attributes: [{ attribute: A.nationalId, value: 'ENR-1' }] }));
    expect(firstError(r.body)).toMatchObject({ errorCode: 'E1064', trackerType: 'ENROLLMENT' });
  });
});

describe('enrollment delete (§3.2)', () => {
  it('§3.2 importStrategy=DELETE with only the enrollment UID soft-deletes it and keeps the TE', async () => {
    const e = await withVersion('2.41');
    await sync(e, nested());
    const r = await sync(e, { enrollments: [{ enrollment: U.en1 }] }, 'importStrategy=DELETE');
    expect(r.status).toBe(200);
    expect(r.body.bundleReport.typeReportMap.ENROLLMENT.stats).toMatchObject({ deleted: 1 });
    expect(e.mock.store.get(U.a)).toMatchObject({ deleted: false, enrollments: [{ uid: U.en1, deleted: true }] });
  });
});

describe('rejected parent TE under atomicMode=ALL (§3.2)', () => {
  it('§3.2 2.41: only the TE errors are reported; E5000 is a commit-time (OBJECT) error', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.weight, value: 'abc' }], { enrollments: [enrollment()] })] });
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(['E1007']);
    expect(r.body.stats).toMatchObject({ ignored: 2, total: 2 });
  });
});
