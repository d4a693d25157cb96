/**
 * Legacy `/api/enrollments` (2.35–2.41) and enrollments/events nested in TEIs. Sources:
 * dxf2/events/enrollment/AbstractEnrollmentService.java (addEnrollment, validateRequest,
 * checkAttributes with the future-date conflicts and the canRead check, updateEnrollment,
 * deleteEnrollment, linkEventSummaries; 2.41: dxf2/deprecated/tracker/enrollment/…),
 * DefaultTrackerAccessManager.canCreate (OWNERSHIP_ACCESS_DENIED).
 */
import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { AT, DE, emulator, enrolled, enrolment, ENROLLMENTS_PATH, L, legacyEvent, OU, person, PROGRAM, summaryOf, TB, TEI_PATH, type Emu } from './support.js';

const postEnrollment = (e: Emu, body: unknown, query = '', auth?: string) => e.post(`${ENROLLMENTS_PATH}${query ? `?${query}` : ''}`, body, auth);
const registered = (e: Emu, orgUnit: string = OU.ngelehun) => e.post(TEI_PATH, person({ trackedEntityInstance: L.tei, orgUnit }));

describe('POST /api/enrollments', () => {
  it('§2.9 create: href and Location, owner assigned, nested events imported after it (their summaries under `events`)', async () => {
    const e = await emulator({ dhis2Version: '2.40' });
    await registered(e);
    const res = await postEnrollment(e, enrolment({ enrollment: L.en1, trackedEntityInstance: L.tei, events: [legacyEvent({ event: L.ev1 })] }));
    expect(res.status).toBe(200);
    expect(summaryOf(res)).toMatchObject({ status: 'SUCCESS', reference: L.en1, importCount: { imported: 1 }, events: { imported: 1, importSummaries: [{ reference: L.ev1, status: 'SUCCESS' }] } });
    expect(res.headers.location).toBe(`/api/enrollments/${L.en1}`);
    expect(e.mock.store.get(L.tei)!.programOwners).toEqual([{ program: PROGRAM, orgUnit: OU.ngelehun }]);
    expect(e.mock.events.get(L.ev1)).toMatchObject({ enrollment: L.en1, trackedEntity: L.tei });
  });

  it.each([['2.40', 'TrackedEntityInstance does not exist.'], ['2.41', 'TrackedEntity does not exist.']])('§2.9 %s an entity that does not exist fails the whole request: 409 "%s"', async (version, message) => {
    const e = await emulator({ dhis2Version: version });
    const res = await postEnrollment(e, enrolment({ trackedEntityInstance: 'NoSuchTei01' }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ httpStatusCode: 409, message });
  });

  it('§2.9 a second ACTIVE enrollment in one request is refused (the first is visible to the second)', async () => {
    const e = await emulator();
    await registered(e);
    const res = await postEnrollment(e, { enrollments: [enrolment({ enrollment: L.en1, trackedEntityInstance: L.tei }), enrolment({ enrollment: L.en2, trackedEntityInstance: L.tei })] });
    expect(res.status).toBe(409);
    expect(summaryOf(res, 1)).toMatchObject({ status: 'ERROR', description: `TrackedEntityInstance ${L.tei} already has an active enrollment in program ${PROGRAM}` });
  });

  it('§2.9 update by UID: status COMPLETED stamps the completion; PUT answers one ImportSummary', async () => {
    const e = await emulator();
    await enrolled(e);
    const res = await e.put(`${ENROLLMENTS_PATH}/${L.en1}`, enrolment({ status: 'COMPLETED' }));
    expect(res.body).toMatchObject({ httpStatusCode: 200, response: { responseType: 'ImportSummary', status: 'SUCCESS', importCount: { updated: 1 } } });
    expect(e.mock.store.get(L.tei)!.enrollments[0]).toMatchObject({ status: 'COMPLETED', completedBy: 'admin' });
    const missing = await e.put(`${ENROLLMENTS_PATH}/${L.en2}`, enrolment());
    expect(missing.body.response).toMatchObject({ status: 'ERROR', description: `ID ${L.en2} doesn't point to a valid enrollment.` });
  });

  it('§2.9 DELETE: soft, with its events (superuser); without F_ENROLLMENT_CASCADE_DELETE an enrollment with events is kept', async () => {
    const e = await emulator();
    await enrolled(e);
    await e.post('/api/events', legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }));
    const refused = await e.del(`${ENROLLMENTS_PATH}/${L.en1}`, BO_CLERK);
    expect(refused.status).toBe(409);
    expect(refused.body.response.conflicts).toEqual([{ object: L.en1, value: `Enrollment ${L.en1} cannot be deleted as it has associated events and user does not have authority: F_ENROLLMENT_CASCADE_DELETE` }]);
    const ok = await e.del(`${ENROLLMENTS_PATH}/${L.en1}`);
    expect(ok.body.response).toMatchObject({ status: 'SUCCESS', description: `Deletion of enrollment ${L.en1} was successful`, importCount: { deleted: 1 } });
    expect(e.mock.events.get(L.ev1)?.deleted).toBe(true);
    const again = await e.del(`${ENROLLMENTS_PATH}/${L.en1}`);
    expect(again.body.response).toMatchObject({ status: 'SUCCESS', importCount: { ignored: 1 }, description: `Enrollment ${L.en1} cannot be deleted as it is not present in the system` });
  });
});

/**
 * Issue 14: what legacy enrollments with dates in the future produce. checkAttributes (2.35–2.41)
 * adds a conflict per date the program does not allow in the future — `Enrollment.date` /
 * `Enrollment Date can't be future date :<java.util.Date>` and `Enrollment.incidentDate` /
 * `Incident Date can't be future date :<…>` — so the enrollment is ERROR/ignored (nested: the TEI
 * itself still succeeds and the HTTP status stays 200). The tracker API says E1020 / E1021.
 */
describe('dates in the future (issue 14)', () => {
  it.each(['2.35', '2.38', '2.41'])('§2.9 %s nested: both dates in the future → two conflicts, TEI saved, 200', async (version) => {
    const e = await emulator({ dhis2Version: version });
    const res = await e.post(TEI_PATH, person({ trackedEntityInstance: L.tei, enrollments: [enrolment({ enrollmentDate: '2099-01-01', incidentDate: '2099-02-03' })] }));
    expect(res.status).toBe(200);
    expect(summaryOf(res).status).toBe('SUCCESS');
    expect((summaryOf(res) as { enrollments: { importSummaries: unknown[] } }).enrollments.importSummaries[0]).toMatchObject({
      status: 'ERROR', importCount: { ignored: 1 },
      conflicts: [
        { object: 'Enrollment.date', value: "Enrollment Date can't be future date :Thu Jan 01 00:00:00 UTC 2099" },
        { object: 'Enrollment.incidentDate', value: "Incident Date can't be future date :Tue Feb 03 00:00:00 UTC 2099" },
      ],
    });
    expect(e.mock.store.get(L.tei)!.enrollments).toEqual([]);
  });

  it('§2.9 /api/enrollments: 409 with the same conflicts; a program allowing future enrollment dates accepts it', async () => {
    const e = await emulator();
    await registered(e);
    const res = await postEnrollment(e, enrolment({ trackedEntityInstance: L.tei, enrollmentDate: '2099-01-01' }));
    expect(res.status).toBe(409);
    expect(summaryOf(res).conflicts).toEqual([{ object: 'Enrollment.date', value: "Enrollment Date can't be future date :Thu Jan 01 00:00:00 UTC 2099" }]);
    e.mock.runtime.ctx.meta.programs.get(PROGRAM)!.selectEnrollmentDatesInFuture = true;
    expect((await postEnrollment(e, enrolment({ trackedEntityInstance: L.tei, enrollmentDate: '2099-01-01' }))).status).toBe(200);
  });
});

/**
 * Issue 15 item 6 on the legacy API: checkAttributes asks canRead(entity) — an entity registered
 * outside the user's search scope fails the request with 409 — and canCreate checks ownership
 * (owner org unit, else the registration org unit): OWNERSHIP_ACCESS_DENIED.
 */
describe('scope and ownership of the enrolled entity (issue 15.6)', () => {
  it('§2.9 bo_clerk enrolling an entity registered in Bombali: 409 "[User has no read access to organisation unit: …]", nothing written', async () => {
    const e = await emulator();
    await registered(e, OU.kamaranka);
    const res = await postEnrollment(e, enrolment({ trackedEntityInstance: L.tei, attributes: [{ attribute: AT.firstName, value: 'Overwritten' }] }), '', BO_CLERK);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`[User has no read access to organisation unit: ${OU.kamaranka}]`);
    expect(e.mock.store.get(L.tei)).toMatchObject({ enrollments: [], attributes: [{ attribute: AT.firstName, value: 'Joe' }] });
  });

  it('§2.9 with a country-wide search scope: an OPEN program passes, a PROTECTED one is OWNERSHIP_ACCESS_DENIED', async () => {
    const e = await emulator();
    e.mock.runtime.ctx.meta.users.get('bo_clerk')!.teiSearchOrganisationUnits = [OU.sierraLeone];
    await registered(e, OU.kamaranka);
    const tb = await postEnrollment(e, enrolment({ trackedEntityInstance: L.tei, program: TB }), '', BO_CLERK);
    expect(summaryOf(tb)).toMatchObject({ status: 'ERROR', description: '[OWNERSHIP_ACCESS_DENIED]' });
    const child = await postEnrollment(e, enrolment({ trackedEntityInstance: L.tei }), '', BO_CLERK);
    expect(child.status).toBe(200);
  });

  it('§2.9 an enrollment org unit outside the capture scope: "[User has no create access to organisation unit: …]"', async () => {
    const e = await emulator();
    await registered(e);
    const res = await postEnrollment(e, enrolment({ trackedEntityInstance: L.tei, orgUnit: OU.kamaranka }), '', BO_CLERK);
    expect(summaryOf(res)).toMatchObject({ status: 'ERROR', description: `[User has no create access to organisation unit: ${OU.kamaranka}]` });
  });
});

describe('GET /api/enrollments', () => {
  it('§2.9 list by entity or org unit; GET by UID with its events; unknown → 404 per release', async () => {
    const e = await emulator({ dhis2Version: '2.39' });
    await enrolled(e);
    await e.post('/api/events', legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }));
    const byTei = await e.get(`${ENROLLMENTS_PATH}?trackedEntityInstance=${L.tei}`);
    expect(byTei.body).toMatchObject({ enrollments: [{ enrollment: L.en1, program: PROGRAM, trackedEntityInstance: L.tei, enrollmentDate: '2024-01-01T00:00:00.000' }] });
    expect((await e.get(`${ENROLLMENTS_PATH}?ou=${OU.ngelehun}&totalPages=true`)).body.pager).toMatchObject({ total: 1 });
    expect((await e.get(ENROLLMENTS_PATH)).body.message).toBe('At least one organisation unit must be specified');
    const one = await e.get(`${ENROLLMENTS_PATH}/${L.en1}`);
    expect(one.body.events).toMatchObject([{ event: L.ev1, dataValues: [{ dataElement: DE.infantWeight, value: '3200' }] }]);
    expect((await e.get(`${ENROLLMENTS_PATH}/NoSuchEnr01`)).body.message).toBe('Enrollment not found for ID NoSuchEnr01');
  });
});
