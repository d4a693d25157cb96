import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { AT, create, emulator, OU, person, PROGRAM, summaryOf, TEI_PATH } from './support.js';

const enrol = (extra: Record<string, unknown> = {}) => ({ program: PROGRAM, orgUnit: OU.ngelehun, enrollmentDate: '2024-01-01', incidentDate: '2024-01-01', ...extra });
const nested = (res: { body: { response: { importSummaries: { enrollments: { importSummaries: Record<string, unknown>[] } }[] } } }) =>
  res.body.response.importSummaries[0].enrollments.importSummaries[0];

describe('§2.9 nested enrollments', () => {
  it('§2.9 create and enroll: nested summary imported, owner org unit set', async () => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, person({ enrollments: [enrol({ enrollment: 'Enrol000001' })] }));
    expect(res.status).toBe(200);
    expect(summaryOf(res).enrollments).toMatchObject({ responseType: 'ImportSummaries', status: 'SUCCESS', imported: 1, total: 1 });
    expect(nested(res)).toMatchObject({ status: 'SUCCESS', reference: 'Enrol000001', importCount: { imported: 1 } });
    const stored = e.mock.admin.state()[0];
    expect(stored.programOwners).toEqual([{ program: PROGRAM, orgUnit: OU.ngelehun }]);
  });

  it('§2.9 an enrollment with a known UID is updated', async () => {
    const e = await emulator();
    const uid = await create(e, person({ enrollments: [enrol({ enrollment: 'Enrol000001' })] }));
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: uid, enrollments: [enrol({ enrollment: 'Enrol000001', status: 'COMPLETED' })] }));
    expect(nested(res)).toMatchObject({ status: 'SUCCESS', importCount: { updated: 1 } });
    expect(e.mock.admin.state()[0].enrollments[0].status).toBe('COMPLETED');
  });

  const errors: [string, (uid: string) => Record<string, unknown>, (uid: string) => Record<string, unknown>, string?][] = [
    ['§2.9 a second active enrollment', () => enrol(), (uid) => ({ description: `TrackedEntityInstance ${uid} already has an active enrollment in program ${PROGRAM}` })],
    ['§2.9 a second active enrollment (2.41 wording)', () => enrol(), (uid) => ({ description: `TrackedEntity ${uid} already has an active enrollment in program ${PROGRAM}` }), '2.41'],
    ['§2.9 onlyEnrollOnce after a completed enrollment', () => enrol({ status: 'COMPLETED' }),
      (uid) => ({ description: `TrackedEntityInstance ${uid} already has an active or completed enrollment in program ${PROGRAM}, and this program only allows enrolling one time` })],
    ['§2.9 unknown program', () => enrol({ program: 'Xxxxxxxxxx1' }), () => ({ description: 'Program can not be null' })],
    ['§2.9 enrollment without an org unit', () => enrol({ orgUnit: undefined }), () => ({ description: 'OrganisationUnit can not be null' })],
    ['§2.9 program not assigned to the org unit', () => enrol({ orgUnit: OU.bo }), () => ({ description: `Program is not assigned to this Organisation Unit: ${OU.bo}` })],
    ['§2.9 a non-program attribute on the enrollment', () => enrol({ status: 'CANCELLED', attributes: [{ attribute: AT.phone, value: '1' }] }),
      () => ({ conflicts: [{ object: 'Attribute.attribute', value: `Only program attributes is allowed for enrollment ${AT.phone}` }] })],
  ];
  it.each(errors)('%s → nested ERROR, TEI summary and HTTP status unaffected', async (_name, second, expected, version) => {
    const e = await emulator({ dhis2Version: version ?? '2.40' });
    const uid = await create(e, person({ enrollments: [enrol()] }));
    if (_name.includes('completed')) await e.post(TEI_PATH, person({ trackedEntityInstance: uid, enrollments: [{ ...enrol(), enrollment: e.mock.admin.state()[0].enrollments[0].uid, status: 'COMPLETED' }] }));
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: uid, enrollments: [second(uid)] }));
    expect(res.status).toBe(200);
    expect(summaryOf(res).status).toBe('SUCCESS');
    expect(summaryOf(res).enrollments).toMatchObject({ status: 'ERROR', ignored: 1 });
    expect(nested(res)).toMatchObject({ status: 'ERROR', importCount: { ignored: 1 }, ...expected(uid) });
  });

  it('§2.9 a mandatory program attribute missing → conflict (a superuser skips the check)', async () => {
    const e = await emulator();
    const admin = await e.post(TEI_PATH, person({ enrollments: [enrol()] }, { [AT.firstName]: null }));
    expect(nested(admin).status).toBe('SUCCESS');
    const res = await e.post(TEI_PATH, person({ enrollments: [enrol()] }, { [AT.firstName]: null }), BO_CLERK);
    expect(res.status).toBe(200);
    expect(nested(res)).toMatchObject({ status: 'ERROR', conflicts: [{ object: 'Attribute.attribute', value: `Missing mandatory attribute ${AT.firstName}` }] });
  });

  it('§2.9 program attributes sent on the enrollment land on the TEI', async () => {
    const e = await emulator();
    await create(e, person({ enrollments: [enrol({ attributes: [{ attribute: AT.gender, value: 'Female' }] })] }));
    expect(e.mock.admin.state()[0].attributes.map((a) => a.attribute)).toContain(AT.gender);
  });
});
