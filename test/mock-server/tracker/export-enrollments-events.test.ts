/**
 * `/api/tracker/enrollments` and `/api/tracker/events` (§3.7 analogues): list bodies and keys per
 * release (instances ≤2.40; pager + flat copies 2.41; pager only 2.42), default fields (2.38+:
 * TrackerEnrollmentsExportController `*,!relationships,!events,!attributes`, EventRequestParams
 * `*,!relationships`), parameter names (2.41 renames, both forms → 400, 2.42 new names only), GET
 * by UID with the 404 per release.
 */
import { describe, expect, it } from 'vitest';
import { DE, enr, ev, OU, PROGRAM, PS, sync, te, TB, U, V, withVersion, type Emu } from './fixtures.js';

async function seeded(version: string): Promise<Emu> {
  const e = await withVersion(version);
  await sync(e, {
    trackedEntities: [te(U.a, [], {
      enrollments: [
        { ...enr(U.en1), events: [ev(V.ev1, { dataValues: [{ dataElement: DE.infantWeight, value: '3200' }, { dataElement: DE.sourceVisitId, value: 'V-1' }] }), ev(V.ev2)] },
        { ...enr(V.en3, { program: TB }), events: [ev(V.ev3, { programStage: PS.tbVisit, dataValues: [] })] },
      ],
    })],
  });
  return e;
}

describe('GET /api/tracker/enrollments', () => {
  it.each([
    ['2.40', ['instances', 'page', 'pageSize']],
    ['2.41', ['pager', 'page', 'pageSize', 'enrollments']],
    ['2.42', ['pager', 'enrollments']],
  ])('§3.7 %s body keys %j; default fields leave out events, attributes, relationships', async (version, keys) => {
    const e = await seeded(version);
    const r = await e.get(`/api/tracker/enrollments?orgUnit${version === '2.40' ? '' : 's'}=${OU.ngelehun}&program=${PROGRAM}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(keys);
    const list = r.body.enrollments ?? r.body.instances;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ enrollment: U.en1, trackedEntity: U.a, program: PROGRAM, status: 'ACTIVE', enrolledAt: '2024-01-01' });
    expect(list[0]).not.toHaveProperty('events');
    expect(list[0]).not.toHaveProperty('attributes');
  });

  it('§3.7 2.37 renders everything by default; fields=* loads the events', async () => {
    const e = await seeded('2.37');
    const r = await e.get(`/api/tracker/enrollments?trackedEntity=${U.a}`);
    expect(r.body.instances.map((x: { enrollment: string }) => x.enrollment).sort()).toEqual([U.en1, V.en3].sort());
    expect(r.body.instances.find((x: { enrollment: string }) => x.enrollment === U.en1).events.map((x: { event: string }) => x.event)).toEqual([V.ev1, V.ev2]);
  });

  it.each([
    ['2.39', 404, 'Enrollment not found for uid: NoSuchEnr01', undefined],
    ['2.40', 404, 'Enrollment with id NoSuchEnr01 could not be found.', 'E1005'],
    ['2.41', 400, "Value 'bad' is not valid for path parameter uid. UID must be an alphanumeric string of 11 characters starting with a letter, but was: bad", undefined],
  ])('§3.8 %s GET by UID of an unknown or malformed UID → %s', async (version, status, message, errorCode) => {
    const e = await withVersion(version);
    const r = await e.get(`/api/tracker/enrollments/${status === 400 ? 'bad' : 'NoSuchEnr01'}`);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ message, ...(errorCode ? { errorCode } : {}) });
  });

  it('§3.8 GET by UID; fields=events[event] reaches the events', async () => {
    const e = await seeded('2.41');
    const r = await e.get(`/api/tracker/enrollments/${U.en1}?fields=enrollment,events[event]`);
    expect(r.body).toEqual({ enrollment: U.en1, events: [{ event: V.ev1 }, { event: V.ev2 }] });
  });

  it('§3.7 2.41: the old and the new parameter name together → 400 E1003', async () => {
    const e = await seeded('2.41');
    const r = await e.get(`/api/tracker/enrollments?enrollment=${U.en1}&enrollments=${U.en1}`);
    expect(r).toMatchObject({ status: 400, body: { errorCode: 'E1003' } });
  });
});

describe('GET /api/tracker/events', () => {
  it.each([['2.40', 'instances', 'followup'], ['2.41', 'events', 'followUp']])('§3.7 %s list under `%s`; the follow-up flag is `%s`', async (version, key, followKey) => {
    const e = await seeded(version);
    const r = await e.get(`/api/tracker/events?program=${PROGRAM}&orgUnit=${OU.ngelehun}`);
    expect(r.body[key].map((x: { event: string }) => x.event)).toEqual([V.ev1, V.ev2]);
    expect(r.body[key][0]).toHaveProperty(followKey, false);
    expect(r.body[key][0]).not.toHaveProperty('relationships');
    expect(r.body[key][0]).toMatchObject({ programStage: PS.babyPostnatal, enrollment: U.en1, trackedEntity: U.a, dataValues: [{ dataElement: DE.infantWeight, value: '3200' }, { dataElement: DE.sourceVisitId, value: 'V-1' }] });
  });

  it('§3.7 by data value (the integration\'s key): filter=<dataElement>:eq:<value>', async () => {
    const e = await seeded('2.41');
    const r = await e.get(`/api/tracker/events?program=${PROGRAM}&filter=${DE.sourceVisitId}:eq:v-1`);
    expect(r.body.events.map((x: { event: string }) => x.event)).toEqual([V.ev1]);
  });

  it('§3.7 by enrollments (2.41 name; 2.42 ignores the old `enrollment`)', async () => {
    const e41 = await seeded('2.41');
    expect((await e41.get(`/api/tracker/events?enrollments=${V.en3}`)).body.events.map((x: { event: string }) => x.event)).toEqual([V.ev3]);
    expect((await e41.get(`/api/tracker/events?enrollment=${V.en3}`)).body.events).toHaveLength(1);
    const e42 = await seeded('2.42');
    expect((await e42.get(`/api/tracker/events?enrollment=${V.en3}`)).body.events).toHaveLength(3);
  });

  it.each([
    ['2.39', 409, 'Program is specified but does not exist: NoSuchPrg01'],
    ['2.40', 400, 'Program is specified but does not exist: NoSuchPrg01'],
  ])('§3.7 %s an unknown program → %s', async (version, status, message) => {
    const e = await withVersion(version);
    const r = await e.get('/api/tracker/events?program=NoSuchPrg01');
    expect(r).toMatchObject({ status, body: { message } });
  });

  it('§3.8 GET by UID; a soft-deleted event is not found; 2.35 has no tracker API', async () => {
    const e = await seeded('2.41');
    expect((await e.get(`/api/tracker/events/${V.ev1}`)).body).toMatchObject({ event: V.ev1, status: 'ACTIVE' });
    await sync(e, { events: [{ event: V.ev1 }] }, 'importStrategy=DELETE');
    expect((await e.get(`/api/tracker/events/${V.ev1}`)).body).toMatchObject({ httpStatusCode: 404, message: `Event with id ${V.ev1} could not be found.`, errorCode: 'E1005' });
    const old = await withVersion('2.35');
    expect((await old.get('/api/tracker/events')).status).toBe(404);
  });
});
