/**
 * `GET /__admin/invariants` and `mock.admin.invariants()` for enrollments and events: duplicate
 * live enrollments per (entity, program) — more than one ACTIVE, or more than one ACTIVE/COMPLETED
 * where the program allows one enrollment — and duplicate live events: two in a non-repeatable
 * stage of one enrollment, and (for data elements the caller names) two of one stage and entity
 * sharing a source key.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEnrollment, StoredEntity, StoredEvent } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';
import { DE, OU, PROGRAM, PS, TB, TET, U } from '../tracker/fixtures.js';

const T = '2024-01-01T00:00:00.000';
const enrollment = (uid: string, program: string, status: StoredEnrollment['status'], deleted = false): StoredEnrollment => ({
  uid, program, orgUnit: OU.ngelehun, status, enrollmentDate: '2024-01-01', followup: false, deleted, created: T, lastUpdated: T,
});
const entity = (uid: string, enrollments: StoredEnrollment[], deleted = false): StoredEntity => ({
  uid, trackedEntityType: TET, orgUnit: OU.ngelehun, created: T, lastUpdated: T, inactive: false, deleted, potentialDuplicate: false,
  attributes: [], enrollments, programOwners: [],
});
const event = (uid: string, enrollmentUid: string, stage: string, key?: string, deleted = false): StoredEvent => ({
  uid, program: stage === PS.tbVisit ? TB : PROGRAM, programStage: stage, enrollment: enrollmentUid, trackedEntity: U.a, orgUnit: OU.ngelehun,
  status: 'ACTIVE', occurredAt: T, deleted, created: T, lastUpdated: T,
  dataValues: key === undefined ? [] : [{ dataElement: DE.sourceVisitId, value: key, created: T, lastUpdated: T, providedElsewhere: false }],
});

async function loaded(entities: StoredEntity[], events: StoredEvent[] = []) {
  const e = await emulator();
  e.mock.store.load(entities);
  e.mock.events.load(events);
  return e;
}

describe('duplicate enrollments', () => {
  it('two ACTIVE in a re-enrollable program; ACTIVE + COMPLETED in an only-enroll-once one; CANCELLED and deleted ones do not count', async () => {
    const e = await loaded([
      entity(U.a, [enrollment('EnrTb000001', TB, 'ACTIVE'), enrollment('EnrTb000002', TB, 'ACTIVE'), enrollment('EnrTb000003', TB, 'COMPLETED')]),
      entity(U.b, [enrollment('EnrCh000001', PROGRAM, 'COMPLETED'), enrollment('EnrCh000002', PROGRAM, 'ACTIVE'), enrollment('EnrCh000003', PROGRAM, 'CANCELLED')]),
      entity(U.c, [enrollment('EnrTb000004', TB, 'ACTIVE'), enrollment('EnrTb000005', TB, 'ACTIVE', true), enrollment('EnrTb000006', TB, 'COMPLETED')]),
      entity(U.d, [enrollment('EnrCh000004', PROGRAM, 'ACTIVE'), enrollment('EnrCh000005', PROGRAM, 'ACTIVE')], true),
    ]);
    const report = (await e.raw.get('/__admin/invariants').expect(200)).body;
    expect(report.ok).toBe(false);
    expect(report.duplicates).toEqual([]);
    expect(report.duplicateEnrollments).toEqual([
      { trackedEntity: U.a, program: TB, reason: 'multipleActive', enrollments: ['EnrTb000001', 'EnrTb000002'] },
      { trackedEntity: U.b, program: PROGRAM, reason: 'onlyEnrollOnce', enrollments: ['EnrCh000001', 'EnrCh000002'] },
    ]);
  });

  it('none: ok stays true', async () => {
    const e = await loaded([entity(U.a, [enrollment('EnrTb000001', TB, 'ACTIVE'), enrollment('EnrTb000002', TB, 'COMPLETED')])]);
    expect(e.mock.admin.invariants()).toMatchObject({ ok: true, duplicateEnrollments: [], duplicateEvents: [], eventKeyDataElements: [] });
  });
});

describe('duplicate events', () => {
  const stored = () => loaded(
    [entity(U.a, [enrollment(U.en1, PROGRAM, 'ACTIVE'), enrollment(U.en2, TB, 'ACTIVE')])],
    [
      event('EvBirth0001', U.en1, PS.birth), event('EvBirth0002', U.en1, PS.birth), event('EvBirth0003', U.en1, PS.birth, undefined, true),
      event('EvPost00001', U.en1, PS.babyPostnatal, 'K-1'), event('EvPost00002', U.en1, PS.babyPostnatal, ' K-1 '), event('EvPost00003', U.en1, PS.babyPostnatal, 'K-2'),
      event('EvTbVisit01', U.en2, PS.tbVisit, 'K-1'),
    ],
  );

  it('by default: a non-repeatable stage with two live events in one enrollment (deleted ones ignored); repeatable stages are fine', async () => {
    const e = await stored();
    expect(e.mock.admin.invariants().duplicateEvents).toEqual([
      { reason: 'nonRepeatableStage', trackedEntity: U.a, programStage: PS.birth, enrollment: U.en1, events: ['EvBirth0001', 'EvBirth0002'] },
    ]);
  });

  it('?eventKeyDataElement=<uid>: events of one stage and entity sharing a key (trimmed), not across stages', async () => {
    const e = await stored();
    const body = (await e.raw.get(`/__admin/invariants?eventKeyDataElement=${DE.sourceVisitId}`).expect(200)).body;
    expect(body.eventKeyDataElements).toEqual([DE.sourceVisitId]);
    expect(body.duplicateEvents).toContainEqual({
      reason: 'sourceKey', trackedEntity: U.a, programStage: PS.babyPostnatal, dataElement: DE.sourceVisitId, key: 'K-1', events: ['EvPost00001', 'EvPost00002'],
    });
    expect(body.duplicateEvents).toHaveLength(2);
    expect(e.mock.admin.invariants([], { eventKeyDataElements: [DE.sourceVisitId] }).duplicateEvents).toEqual(body.duplicateEvents);
  });

  it('an unknown data element is refused with 400', async () => {
    const e = await emulator();
    const res = await e.raw.get('/__admin/invariants?eventKeyDataElement=NoSuchDe001').expect(400);
    expect(res.body.message).toContain('Unknown data element(s) NoSuchDe001');
  });

  it('events under a deleted enrollment or entity are not live', async () => {
    const e = await loaded([entity(U.a, [enrollment(U.en1, PROGRAM, 'ACTIVE', true)])], [event('EvBirth0001', U.en1, PS.birth), event('EvBirth0002', U.en1, PS.birth)]);
    expect(e.mock.admin.invariants().duplicateEvents).toEqual([]);
  });
});
