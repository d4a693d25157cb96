/**
 * Fault plans and the journal on the enrollment and event routes: commits of every kind are
 * journaled (kind, references, data value before/after) and attributed to their request, so a
 * fault's `committed` flag covers enrollment and event writes; stale-search answers the new read
 * routes from an older state (events from the event table's history, enrollments from their
 * entity's).
 */
import { describe, expect, it } from 'vitest';
import type { CommitEntry, FaultEntry } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';
import { DE, enr, ev, OU, PROGRAM, PS, sync, te, U, V } from '../tracker/fixtures.js';

const commits = (entries: unknown[]) => entries.filter((x): x is CommitEntry => (x as CommitEntry).type === 'commit');

describe('journal: enrollment and event commits', () => {
  it('one import → a TE commit (no kind), an enrollment commit and an event commit, all under its request id', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    const r = await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events: [ev(V.ev1, { dataValues: [{ dataElement: DE.infantWeight, value: '3200' }] })] }] })] });
    const requestId = r.headers['x-request-id'];
    const entries = commits(e.mock.admin.journal({ types: ['commit'] }).entries);
    expect(entries.map((c) => [c.kind, c.uid, c.operation, c.requestId])).toEqual([
      [undefined, U.a, 'create', requestId],
      ['enrollment', U.en1, 'create', requestId],
      ['event', V.ev1, 'create', requestId],
    ]);
    expect(entries[1]).toMatchObject({ trackedEntity: U.a, program: PROGRAM, status: 'ACTIVE', changes: [] });
    expect(entries[2]).toMatchObject({ trackedEntity: U.a, enrollment: U.en1, program: PROGRAM, programStage: PS.babyPostnatal, dataValues: [{ dataElement: DE.infantWeight, before: null, after: '3200' }] });
    expect(entries.map((c) => c.commitSeq)).toEqual([1, 2, 3]);
  });

  it('an event update journals its data value changes; ?uid= finds the event commit and the entity\'s; ?value= the data value', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events: [ev(V.ev1)] }] })] });
    await sync(e, { events: [ev(V.ev1, { enrollment: U.en1, dataValues: [{ dataElement: DE.infantWeight, value: '3300' }, { dataElement: DE.sourceVisitId, value: 'VISIT-42' }] })] });
    const byEvent = commits(e.mock.admin.journal({ uid: V.ev1 }).entries);
    expect(byEvent.map((c) => c.operation)).toEqual(['create', 'update']);
    expect(byEvent[1].dataValues).toEqual([
      { dataElement: DE.infantWeight, before: '3200', after: '3300' },
      { dataElement: DE.sourceVisitId, before: null, after: 'VISIT-42' },
    ]);
    expect(commits(e.mock.admin.journal({ uid: U.a }).entries).map((c) => c.kind ?? 'trackedEntity')).toEqual(['trackedEntity', 'enrollment', 'event', 'event']);
    expect(commits(e.mock.admin.journal({ value: 'visit-42' }).entries).map((c) => c.uid)).toEqual([V.ev1]);
  });
});

describe('fault plans on the new routes', () => {
  it('error-after-commit on POST /api/events: the client sees 502, the event exists, the fault says committed', async () => {
    const e = await emulator({ dhis2Version: '2.40' });
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1)] })] });
    e.mock.admin.faults.install({ seed: 1, rules: [{ kind: 'error-after-commit', method: 'POST', path: '/api/events', status: 502 }] });
    const res = await e.post('/api/events', { event: V.ev1, program: PROGRAM, programStage: PS.babyPostnatal, orgUnit: OU.ngelehun, trackedEntityInstance: U.a, eventDate: '2024-02-01', dataValues: [{ dataElement: DE.infantWeight, value: '1' }] });
    expect(res.status).toBe(502);
    expect(e.mock.events.has(V.ev1)).toBe(true);
    const fault = e.mock.admin.journal({ types: ['fault'] }).entries[0] as FaultEntry;
    expect(fault).toMatchObject({ kind: 'error-after-commit', route: 'POST /api/events', committed: true });
  });

  it('error-before-commit on POST /api/enrollments: nothing written, committed: false', async () => {
    const e = await emulator({ dhis2Version: '2.40' });
    await sync(e, { trackedEntities: [te(U.a)] });
    e.mock.admin.faults.install({ seed: 1, rules: [{ kind: 'error-before-commit', path: '/api/enrollments/**', status: 503 }, { kind: 'error-before-commit', path: '/api/enrollments', status: 503 }] });
    const res = await e.post('/api/enrollments', { enrollment: U.en1, trackedEntityInstance: U.a, program: PROGRAM, orgUnit: OU.ngelehun, enrollmentDate: '2024-01-01' });
    expect(res.status).toBe(503);
    expect(e.mock.store.get(U.a)!.enrollments).toEqual([]);
    expect((e.mock.admin.journal({ types: ['fault'] }).entries[0] as FaultEntry).committed).toBe(false);
  });

  it('stale-search on GET /api/tracker/events and /api/tracker/enrollments answers from one commit of the table ago', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events: [ev(V.ev1)] }] })] });
    await sync(e, { events: [ev(V.ev2, { enrollment: U.en1 })] });
    e.mock.admin.faults.install({ seed: 1, rules: [{ kind: 'stale-search', path: '/api/tracker/*', commitsAgo: 1 }, { kind: 'stale-search', path: '/api/tracker/*/*', commitsAgo: 1 }] });
    const list = await e.get(`/api/tracker/events?enrollments=${U.en1}`);
    expect(list.body.events.map((x: { event: string }) => x.event)).toEqual([V.ev1]);
    expect((await e.get(`/api/tracker/events/${V.ev2}`)).status).toBe(404);
    const enrollments = await e.get(`/api/tracker/enrollments?trackedEntity=${U.a}`);
    expect(enrollments.body.enrollments).toEqual([]);
    e.mock.admin.faults.clear();
    expect((await e.get(`/api/tracker/events/${V.ev2}`)).status).toBe(200);
  });
});
