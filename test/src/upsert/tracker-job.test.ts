import { describe, it, expect, afterEach } from 'vitest';
import { Dhis2Client } from '../../../src/client/dhis2-client.js';
import { upsertTrackedEntity } from '../../../src/upsert/upsert.js';
import { keyUid } from '../../../src/uid.js';
import { json, startStub, type StubServer } from '../client/stub-server.js';
import { person } from './helpers.js';

let stub: StubServer | undefined;
let client: Dhis2Client | undefined;
afterEach(async () => {
  await client?.close();
  await stub?.close();
});

describe('tracker import answered with a job', () => {
  it('polls the job report until it is ready', async () => {
    const rec = person('JOB-1');
    const uid = keyUid(rec);
    let polls = 0;
    stub = await startStub((req, res) => {
      const path = req.url.split('?')[0];
      if (path === '/api/system/info') return json(res, 200, { version: '2.40.3' });
      if (path.startsWith('/api/trackedEntityAttributes/')) return json(res, 200, { valueType: 'TEXT', unique: true, orgunitScope: false });
      if (path === '/api/tracker/trackedEntities') return json(res, 200, { instances: [], page: 1, pageSize: 50 });
      if (path === '/api/tracker' && req.method === 'POST') {
        return json(res, 200, { httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Tracker job added', response: { responseType: 'TrackerJob', id: 'JobUid00001', location: 'x' } });
      }
      if (path === '/api/tracker/jobs/JobUid00001/report') {
        if (++polls < 3) return json(res, 404, { httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: 'Summary for job JobUid00001 does not exist' });
        const stats = { created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 };
        return json(res, 200, { status: 'OK', validationReport: { errorReports: [], warningReports: [] }, stats, bundleReport: { typeReportMap: { TRACKED_ENTITY: { trackerType: 'TRACKED_ENTITY', stats, objectReports: [{ trackerType: 'TRACKED_ENTITY', uid, errorReports: [] }] } } } });
      }
      json(res, 404, { message: `unexpected ${req.method} ${req.url}` });
    });
    client = new Dhis2Client({ baseUrl: stub.url, auth: { username: 'admin', password: 'district' } });
    const sleeps: number[] = [];
    const r = await upsertTrackedEntity(client, rec, { env: { sleep: async (ms) => void sleeps.push(ms) } });
    expect(r).toMatchObject({ uid, action: 'created', api: 'tracker', attempts: 1 });
    expect(polls).toBe(3);
    expect(sleeps).toEqual([100, 200, 400]);
  });
});
