import { describe, expect, it } from 'vitest';
import { TrackerJobRegistry } from '../../../mock-server/dhis2/tracker/jobs.js';
import type { TrackerImportResult } from '../../../mock-server/dhis2/tracker/import.js';
import { nid, sync, te, U, waitForReport, withVersion } from './fixtures.js';

const body = { trackedEntities: [te(U.a, [nid('ABC-1')])] };

/** A race-window hook that parks imports until released, and tells when one has arrived. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const reached = new Promise<void>((r) => (arrived = r));
  return { hook: async () => { arrived(); await released; }, reached, release };
}

describe('async import jobs (§3.1)', () => {
  it.each([
    ['2.36', { responseType: 'TrackerJob' }, '/api/tracker/jobs/', true],
    ['2.40', { responseType: 'TrackerJob' }, '/api/tracker/jobs/', true],
    ['2.41', {}, '/api/tracker/jobs/', true],
    ['2.42', { responseType: 'TrackerJob' }, '/tracker/jobs/', false],
  ])('§3.1 %s job response: shape, location and Location header', async (version, extra, path, header) => {
    const e = await withVersion(version);
    const r = await e.post('/api/tracker', body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Tracker job added' });
    const response = r.body.response;
    expect(Object.keys(response).sort()).toEqual([...Object.keys(extra), 'id', 'location'].sort());
    expect(response).toMatchObject(extra);
    expect(new URL(response.location).pathname).toBe(`${path}${response.id}`);
    expect(r.headers.location).toBe(header ? response.location : undefined);
    await waitForReport(e, response.id);
  });

  it.each([
    // TrackerImportController per release: HttpClientErrorException(NOT_FOUND) → NotFoundException.notFoundUid
    // → NotFoundException(JobConfiguration.class, uid) → "Summary for job … does not exist"
    ['2.36', '404 NOT_FOUND', undefined],
    ['2.38', 'Object not found for uid: ', undefined],
    ['2.40', 'JobConfiguration with id ', 'E1005'],
    ['2.41', 'Summary for job ', 'E1005'],
  ])('§3.1 %s: the report is 404 until the job is done, then the ImportReport', async (version, prefix, errorCode) => {
    const g = gate();
    const e = await withVersion(version, { uniqueness: 'racy', raceHook: g.hook });
    const id = (await e.post('/api/tracker', body)).body.response.id;
    await g.reached;
    const early = await e.get(`/api/tracker/jobs/${id}/report`);
    expect(early.status).toBe(404);
    expect(early.body.message.startsWith(prefix)).toBe(true);
    if (prefix !== '404 NOT_FOUND') expect(early.body.message).toContain(id);
    expect(early.body.errorCode).toBe(errorCode);
    const running = await e.get(`/api/tracker/jobs/${id}`);
    expect(running.body.some((n: { completed: boolean }) => n.completed)).toBe(false);
    g.release();
    const done = await waitForReport(e, id);
    expect(done.body).toMatchObject({ status: 'OK', stats: { created: 1 } });
    expect(e.mock.store.has(U.a)).toBe(true);
  });

  it('§3.1 job notifications: newest first, category TRACKER_IMPORT_JOB, last one completed', async () => {
    const e = await withVersion('2.41');
    const id = (await e.post('/api/tracker', body)).body.response.id;
    await waitForReport(e, id);
    const r = await e.get(`/api/tracker/jobs/${id}`);
    expect(r.status).toBe(200);
    expect(r.body[0]).toMatchObject({ level: 'INFO', category: 'TRACKER_IMPORT_JOB', completed: true, id });
    expect(r.body.at(-1)).toMatchObject({ completed: false, message: '(admin) Import:Start' });
    for (const n of r.body) expect(Object.keys(n).sort()).toEqual(['category', 'completed', 'id', 'level', 'message', 'time', 'uid']);
  });

  it('§3.1 the job report equals the sync report for the same import (2.40)', async () => {
    const a = await withVersion('2.40');
    const b = await withVersion('2.40');
    const id = (await a.post('/api/tracker', body)).body.response.id;
    const jobReport = (await waitForReport(a, id)).body;
    const syncReport = (await sync(b, body)).body;
    expect(jobReport).toEqual(syncReport);
  });

  it('§3.1 an async job that fails validation: the report says ERROR (HTTP 200 for the report itself)', async () => {
    const e = await withVersion('2.41');
    await sync(e, body);
    const id = (await e.post('/api/tracker', { trackedEntities: [te(U.b, [nid('ABC-1')])] })).body.response.id;
    const r = await waitForReport(e, id);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ERROR');
    expect(r.body.validationReport.errorReports[0].errorCode).toBe('E1064');
  });

  it('§3.6 the report endpoint honours ?reportMode=FULL (2.40 timingsStats)', async () => {
    const e = await withVersion('2.40');
    const id = (await e.post('/api/tracker', body)).body.response.id;
    await waitForReport(e, id);
    const full = await e.get(`/api/tracker/jobs/${id}/report?reportMode=FULL`);
    expect(full.body.timingsStats).toBeDefined();
    const errors = await e.get(`/api/tracker/jobs/${id}/report`);
    expect(errors.body.timingsStats).toBeUndefined();
  });

  it('§3.1 an unknown job: empty notification list, report 404', async () => {
    const e = await withVersion('2.41');
    expect((await e.get('/api/tracker/jobs/NoSuchJob01')).body).toEqual([]);
    const r = await e.get('/api/tracker/jobs/NoSuchJob01/report');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ httpStatusCode: 404, message: 'Summary for job NoSuchJob01 does not exist' });
  });

  it('§3.1 reset forgets the jobs', async () => {
    const e = await withVersion('2.41');
    const id = (await e.post('/api/tracker', body)).body.response.id;
    await waitForReport(e, id);
    await e.mock.admin.reset();
    expect((await e.get(`/api/tracker/jobs/${id}/report`)).status).toBe(404);
  });
});

describe('TrackerJobRegistry', () => {
  const done = async (): Promise<TrackerImportResult> => ({
    outcome: 'completed', errors: [], validateOnly: false,
    bundleSize: { TRACKED_ENTITY: 0, ENROLLMENT: 0, EVENT: 0, RELATIONSHIP: 0 },
    counts: { TRACKED_ENTITY: { created: 0, updated: 0, deleted: 0 }, ENROLLMENT: { created: 0, updated: 0, deleted: 0 }, EVENT: { created: 0, updated: 0, deleted: 0 }, RELATIONSHIP: { created: 0, updated: 0, deleted: 0 } },
    objects: { TRACKED_ENTITY: [], ENROLLMENT: [], EVENT: [], RELATIONSHIP: [] },
    timingsMs: { preheat: 0, validation: 0, commit: 0, totalImport: 0 },
  });
  const settle = () => new Promise((r) => setImmediate(r));

  it('§3.1 keeps a bounded number of jobs, dropping the oldest finished first', async () => {
    let n = 0;
    const registry = new TrackerJobRegistry({ limit: 3, uid: () => `n${n++}` });
    for (const id of ['j1', 'j2', 'j3']) registry.submit(id, 'admin', done);
    await settle();
    await settle();
    registry.submit('j4', 'admin', done);
    expect(registry.size).toBe(3);
    expect(registry.get('j1')).toBeUndefined();
    expect(registry.get('j4')).toBeDefined();
  });

  it('§3.1 a job runs after the submitting code has returned, not inside it', async () => {
    const registry = new TrackerJobRegistry({ uid: () => 'x' });
    let started = false;
    registry.submit('j', 'admin', async () => { started = true; return done(); });
    expect(started).toBe(false);
    await settle();
    expect(started).toBe(true);
  });

  it('§3.1 a job whose import throws ends with an Exception report', async () => {
    const registry = new TrackerJobRegistry({ uid: () => 'x' });
    registry.submit('j', 'admin', async () => { throw new Error('boom'); });
    await settle();
    await settle();
    expect(registry.get('j')?.result).toMatchObject({ outcome: 'exception', message: 'Exception:boom' });
    expect(registry.get('j')?.notifications[0]).toMatchObject({ level: 'ERROR', completed: true });
  });
});
