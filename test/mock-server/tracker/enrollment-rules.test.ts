/**
 * Enrollment rules of the tracker importer per release: the existing-enrollment rule (E1015/E1016,
 * ExistingEnrollmentValidator 2.40 / EnrollmentInExistingValidationHook 2.36–2.39), dates
 * (enrollment/DateValidator), ownership and scope (enrollment/SecurityOwnershipValidator,
 * DHIS2-17280) and the tracked entity's own scope rule (trackedentity/SecurityOwnershipValidator).
 */
import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { A, BO_CLERK_ID, codes, enr, ev, firstError, OU, PROGRAM, PS, sync, te, TB, U, V, withVersion } from './fixtures.js';

const twoInPayload = (program: string, statuses: [string, string]) => ({
  trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1, { program, status: statuses[0] }), enr(U.en2, { program, status: statuses[1] })] })],
});

describe('E1015 / E1016: one active enrollment, only-enroll-once (§3.5)', () => {
  it.each(['2.36', '2.39', '2.41', '2.42'])('§3.5 an ACTIVE duplicate in an only-enroll-once program carries both codes for one problem (%s)', async (version) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1)] })] });
    const r = await sync(e, { enrollments: [{ ...enr(U.en2), trackedEntity: U.a }] });
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(['E1015', 'E1016']);
    expect(r.body.validationReport.errorReports.map((x: { uid: string }) => x.uid)).toEqual([U.en2, U.en2]);
  });

  it.each([
    ['2.37', ['E1015', 'E1016']],
    ['2.38', ['E1015']],
    ['2.41', ['E1015']],
  ])('§3.5 a second ACTIVE enrollment in a re-enrollable program: %s reports %j (2.36–2.37 hook lacks the onlyEnrollOnce guard)', async (version, expected) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1, { program: TB })] })] });
    const r = await sync(e, { enrollments: [{ ...enr(U.en2, { program: TB }), trackedEntity: U.a }] });
    expect(codes(r.body)).toEqual(expected);
  });

  it.each([['2.37', 409], ['2.38', 200], ['2.42', 200]])('§3.5 re-enrolling after a COMPLETED enrollment in a re-enrollable program (%s → %s)', async (version, status) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1, { program: TB, status: 'COMPLETED' })] })] });
    const r = await sync(e, { enrollments: [{ ...enr(U.en2, { program: TB }), trackedEntity: U.a }] });
    expect(r.status).toBe(status);
    if (status === 409) expect(codes(r.body)).toEqual(['E1016']);
  });

  it('§3.5 two ACTIVE enrollments of one TE and program in one payload: each is refused for the other', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, twoInPayload(TB, ['ACTIVE', 'ACTIVE']));
    expect(codes(r.body)).toEqual(['E1015', 'E1015']);
    expect(e.mock.store.size).toBe(0);
  });

  it('§3.5 CANCELLED enrollments are never refused, and do not count against others', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, twoInPayload(PROGRAM, ['CANCELLED', 'ACTIVE']));
    expect(r.status).toBe(200);
    expect(e.mock.store.get(U.a)!.enrollments.map((x) => x.status).sort()).toEqual(['ACTIVE', 'CANCELLED']);
  });

  it('§3.5 the rule runs on updates too: re-activating a COMPLETED enrollment beside an ACTIVE one', async () => {
    const e = await withVersion('2.40');
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1, { program: TB, status: 'COMPLETED' }), enr(U.en2, { program: TB })] })] });
    const r = await sync(e, { enrollments: [{ ...enr(U.en1, { program: TB, status: 'ACTIVE' }), trackedEntity: U.a }] });
    expect(codes(r.body)).toEqual(['E1015']);
  });
});

describe('enrollment dates (enrollment/DateValidator, §3.5)', () => {
  const future = '2099-01-01';
  it.each([
    ['2.41', { enrolledAt: future }, 'E1020', `Enrollment date: \`${future}\`, cannot be a future date.`],
    ['2.42', { enrolledAt: future }, 'E1020', `Enrollment date: \`${future}\` cannot be a future date.`],
    ['2.39', { occurredAt: future }, 'E1021', `Incident date: \`${future}\`, cannot be a future date.`],
  ])('§3.5 %s a future date the program does not allow: %o → %s', async (version, dates, code, message) => {
    const e = await withVersion(version);
    const r = await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1, dates)] })] });
    expect(firstError(r.body)).toMatchObject({ errorCode: code, message, uid: U.en1 });
  });
});

/**
 * Issue 15 item 6: bo_clerk enrolled an entity registered in Bombali (outside every scope of
 * theirs) at their own facility and, through the enrollment's attributes, overwrote its values;
 * only the enrollment's org unit was checked. DHIS2 itself did that until DHIS2-17280 made an
 * entity without an owner in the program judged by its registration org unit (PRs #17276 master,
 * #17309 2.41.0, #17333 2.40, #17387 2.39; first patches inferred: 2.39.6, 2.40.5, 2.41.0).
 */
describe('ownership of the enrolled entity (enrollment/SecurityOwnershipValidator, issue 15.6)', () => {
  const foreignEnrollment = { enrollments: [{ ...enr(U.en1, { attributes: [{ attribute: A.firstName, value: 'Overwritten' }] }), trackedEntity: U.a }] };
  const registeredInBombali = (e: Awaited<ReturnType<typeof withVersion>>) => sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka })] });

  it.each(['2.39.6', '2.40.5', '2.40', '2.41.0', '2.41', '2.42'])('§3.5 %s: E1102, nothing written', async (version) => {
    const e = await withVersion(version);
    await registeredInBombali(e);
    const r = await sync(e, foreignEnrollment, '', BO_CLERK);
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(['E1102']);
    expect(firstError(r.body).message).toContain(`\`${BO_CLERK_ID}\``);
    expect(e.mock.store.get(U.a)).toMatchObject({ enrollments: [], attributes: [{ attribute: A.firstName, value: 'Joe' }] });
  });

  it.each(['2.36', '2.38', '2.39.5', '2.40.4'])('§3.5 %s (before DHIS2-17280): accepted, as DHIS2 did — the enrollment and its attributes land', async (version) => {
    const e = await withVersion(version);
    await registeredInBombali(e);
    const r = await sync(e, foreignEnrollment, '', BO_CLERK);
    expect(r.status).toBe(200);
    expect(e.mock.store.get(U.a)!.attributes.find((a) => a.attribute === A.firstName)?.value).toBe('Overwritten');
  });

  it('§3.5 an owner recorded in the program is checked in every release (here 2.38): E1102', async () => {
    const e = await withVersion('2.38');
    await sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka, enrollments: [enr(U.en2, { orgUnit: OU.kamaranka, status: 'CANCELLED' })] })] });
    const r = await sync(e, foreignEnrollment, '', BO_CLERK);
    expect(codes(r.body)).toEqual(['E1102']);
    expect(firstError(r.body).message).toBe(`User: \`${BO_CLERK_ID}\`, does not have access to the tracked entity: \`${U.a}\`, Program: \`${PROGRAM}\`, combination.`);
  });

  it('§3.5 a PROTECTED program (TB) needs the owner in the capture scope, not only the search scope', async () => {
    const e = await withVersion('2.41');
    const clerk = e.mock.runtime.ctx.meta.users.get('bo_clerk')!;
    clerk.teiSearchOrganisationUnits = [OU.sierraLeone];
    await registeredInBombali(e);
    const open = await sync(e, foreignEnrollment, '', BO_CLERK);
    expect(open.status).toBe(200);
    const r = await sync(e, { enrollments: [{ ...enr(U.en2, { program: TB }), trackedEntity: U.a }] }, '', BO_CLERK);
    expect(codes(r.body)).toEqual(['E1102']);
  });

  it('§3.5 deleting an enrollment with live events needs F_ENROLLMENT_CASCADE_DELETE (E1103, quotes dropped)', async () => {
    const e = await withVersion('2.40');
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events: [ev(V.ev1)] }] })] });
    const r = await sync(e, { enrollments: [{ enrollment: U.en1 }] }, 'importStrategy=DELETE', BO_CLERK);
    expect(firstError(r.body)).toMatchObject({ errorCode: 'E1103', message: `User: \`${BO_CLERK_ID}\`, is lacking F_ENROLLMENT_CASCADE_DELETE authority to delete Enrollment : \`${U.en1}\`.` });
    expect(e.mock.events.get(V.ev1)?.deleted).toBe(false);
  });

  it('§3.5 an enrollment created outside the capture scope: E1000, and E1102 for the entity registered there (one validator, all its errors)', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka, enrollments: [enr(U.en1, { orgUnit: OU.kamaranka })] })] }, '', BO_CLERK);
    expect(codes(r.body)).toEqual(['E1000', 'E1000', 'E1102']);
    expect(r.body.validationReport.errorReports.map((x: { trackerType: string }) => x.trackerType)).toEqual(['TRACKED_ENTITY', 'ENROLLMENT', 'ENROLLMENT']);
  });
});

describe('tracked entity scope on update (trackedentity/SecurityOwnershipValidator, issue 15.6)', () => {
  it.each([
    ['2.38', `OrganisationUnit: \`${OU.kamaranka}\` of TrackedEntity is outside search scope of User: \`${BO_CLERK_ID}\`.`],
    ['2.40', `OrganisationUnit: \`${OU.kamaranka}\` of TrackedEntity is outside search scope of User: \`${BO_CLERK_ID}\`.`],
    ['2.41', `User: \`${BO_CLERK_ID}\`, has no write access to TrackedEntity: \`${U.a}\`.`],
    ['2.42', `User: \`${BO_CLERK_ID}\` has no write access to TrackedEntity: \`${U.a}\`.`],
  ])('§3.5 %s: updating a TE registered outside the scope → E1003', async (version, message) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka })] });
    const r = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: 'X' }], { orgUnit: OU.ngelehun })] }, '', BO_CLERK);
    expect(firstError(r.body)).toMatchObject({ errorCode: 'E1003', message });
  });

  it('§3.5 ≤2.40 the update rule is the search scope: a user searching wider may update outside the capture scope', async () => {
    const e = await withVersion('2.40');
    e.mock.runtime.ctx.meta.users.get('bo_clerk')!.teiSearchOrganisationUnits = [OU.sierraLeone];
    await sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka })] });
    const r = await sync(e, { trackedEntities: [te(U.a, [{ attribute: A.lastName, value: 'X' }], { orgUnit: OU.kamaranka })] }, '', BO_CLERK);
    expect(r.status).toBe(200);
  });
});

it('§3.5 PS constant sanity: the Birth stage is not repeatable, Baby Postnatal is', async () => {
  const e = await withVersion('2.41');
  const stages = e.mock.runtime.ctx.meta.programStages;
  expect([stages.get(PS.birth)!.repeatable, stages.get(PS.babyPostnatal)!.repeatable]).toEqual([false, true]);
});

describe('enrollment/UpdatableFieldsValidator (2.37+)', () => {
  it.each([
    ['2.37', { program: TB }, 'Not allowed to update Enrollment property: program.'],
    ['2.42', { program: TB }, 'Not allowed to update enrollment property: program.'],
    ['2.41', { trackedEntity: U.b }, 'Not allowed to update Enrollment property: trackedEntity.'],
  ])('§3.5 %s an update may not change the program or the entity: E1127 (%o)', async (version, change, message) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1)] }), te(U.b)] });
    const r = await sync(e, { enrollments: [{ ...enr(U.en1), trackedEntity: U.a, ...change }] });
    expect(firstError(r.body)).toMatchObject({ errorCode: 'E1127', message });
    expect(e.mock.store.get(U.a)!.enrollments[0].program).toBe(PROGRAM);
  });
});
