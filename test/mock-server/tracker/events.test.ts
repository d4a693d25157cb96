/** Events inside tracker payloads (§3): create, merge, delete, cascade, nested and flat. */
import { describe, expect, it } from 'vitest';
import { codes, DE, enr, enrolledTe, ev, OU, PROGRAM, PS, sync, te, TB, U, V, withVersion } from './fixtures.js';

describe('events in tracker payloads (§3.1 flattening, §3.3 merge)', () => {
  it('§3.1 TE → enrollment → event nested: all three created and counted; the program comes from the stage', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, enrolledTe([ev(V.ev1)]));
    expect(r.status).toBe(200);
    expect(r.body.stats).toEqual({ created: 3, updated: 0, deleted: 0, ignored: 0, total: 3 });
    expect(r.body.bundleReport.typeReportMap.EVENT.objectReports).toEqual([{ trackerType: 'EVENT', uid: V.ev1, errorReports: [] }]);
    expect(e.mock.events.get(V.ev1)).toMatchObject({
      program: PROGRAM, programStage: PS.babyPostnatal, enrollment: U.en1, trackedEntity: U.a, orgUnit: OU.ngelehun, status: 'ACTIVE',
      occurredAt: '2024-02-01', deleted: false, dataValues: [{ dataElement: DE.infantWeight, value: '3200', providedElsewhere: false }],
    });
  });

  it('§3.1 a flat event for a stored enrollment; 2.36–2.40 index the event object report', async () => {
    const e = await withVersion('2.38');
    await sync(e, enrolledTe());
    const r = await sync(e, { events: [{ ...ev(V.ev1), enrollment: U.en1 }] });
    expect(r.status).toBe(200);
    expect(r.body.bundleReport.typeReportMap.EVENT.objectReports).toEqual([{ trackerType: 'EVENT', uid: V.ev1, index: 0, errorReports: [] }]);
  });

  it('§3.3 an update merges data values: sent ones set, blank ones deleted, others kept', async () => {
    const e = await withVersion('2.41');
    await sync(e, enrolledTe([ev(V.ev1, { dataValues: [{ dataElement: DE.infantWeight, value: '3200' }, { dataElement: DE.infantFeeding, value: 'Mixed' }] })]));
    const r = await sync(e, { events: [ev(V.ev1, { enrollment: U.en1, dataValues: [{ dataElement: DE.infantWeight, value: '3300' }, { dataElement: DE.infantFeeding, value: '' }, { dataElement: DE.sourceVisitId, value: 'V-1' }] })] });
    expect(r.body.stats).toMatchObject({ updated: 1 });
    const values = Object.fromEntries(e.mock.events.get(V.ev1)!.dataValues.map((d) => [d.dataElement, d.value]));
    expect(values).toEqual({ [DE.infantWeight]: '3300', [DE.sourceVisitId]: 'V-1' });
  });

  it('§3.2 DELETE with the event UID alone soft-deletes it', async () => {
    const e = await withVersion('2.41');
    await sync(e, enrolledTe([ev(V.ev1)]));
    const r = await sync(e, { events: [{ event: V.ev1 }] }, 'importStrategy=DELETE');
    expect(r.body.stats).toMatchObject({ deleted: 1, total: 1 });
    expect(e.mock.events.get(V.ev1)).toMatchObject({ deleted: true });
  });

  it('§3.2 deleting an enrollment (with F_ENROLLMENT_CASCADE_DELETE: admin) soft-deletes its events; deleting the TE does the rest', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events: [ev(V.ev1)] }, { ...enr(V.en3, { program: TB }), events: [ev(V.ev2, { programStage: PS.tbVisit, dataValues: [] })] }] })] });
    await sync(e, { enrollments: [{ enrollment: U.en1 }] }, 'importStrategy=DELETE');
    expect(e.mock.events.get(V.ev1)?.deleted).toBe(true);
    expect(e.mock.events.get(V.ev2)?.deleted).toBe(false);
    await sync(e, { trackedEntities: [{ trackedEntity: U.a }] }, 'importStrategy=DELETE');
    expect(e.mock.events.get(V.ev2)?.deleted).toBe(true);
    expect(e.mock.store.get(U.a)!.enrollments.every((x) => x.deleted)).toBe(true);
  });

  it('§3.2 atomicMode=OBJECT: a valid event commits beside a rejected one', async () => {
    const e = await withVersion('2.41');
    await sync(e, enrolledTe());
    const r = await sync(e, { events: [ev(V.ev1, { enrollment: U.en1 }), ev(V.ev2, { enrollment: U.en1, orgUnit: 'NoSuchOu001' })] }, 'atomicMode=OBJECT');
    expect(r.status).toBe(200);
    expect(codes(r.body)).toEqual(['E1011']);
    expect(e.mock.events.has(V.ev1)).toBe(true);
    expect(e.mock.events.has(V.ev2)).toBe(false);
  });

  it('§3.2 2.40+: an event of an enrollment rejected in the same payload is dropped with E5000 (atomicMode=OBJECT)', async () => {
    const e = await withVersion('2.40');
    const r = await sync(e, { trackedEntities: [te(U.a)], enrollments: [{ ...enr(U.en1, { orgUnit: OU.bo }), trackedEntity: U.a, events: [ev(V.ev1)] }] }, 'atomicMode=OBJECT');
    expect(codes(r.body)).toEqual(['E1041', 'E5000']);
    expect(r.body.validationReport.errorReports[1].message).toBe(`"EVENT" \`${V.ev1}\` cannot be persisted because "ENROLLMENT" \`${U.en1}\` referenced by it cannot be persisted.`);
    expect(e.mock.events.size).toBe(0);
  });

  it('§3.1 2.42 rejects a malformed event UID while reading JSON (400)', async () => {
    const e = await withVersion('2.42');
    const r = await sync(e, enrolledTe([ev('bad')]));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('UID must be an alphanumeric string of 11 characters starting with a letter, but was: bad');
  });

  it('§3.1 an event status outside the enum fails reading the payload (400)', async () => {
    const e = await withVersion('2.41');
    const r = await sync(e, enrolledTe([ev(V.ev1, { status: 'DONE' })]));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('not one of the values accepted for Enum class: [ACTIVE, COMPLETED, VISITED, SCHEDULE, OVERDUE, SKIPPED]');
  });
});
