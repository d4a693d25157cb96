/** `GET /__admin/state` with enrollments and events; `--db` persistence and reset of the event table. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockDhis2 } from '../../../mock-server/index.js';
import { ADMIN, emulator } from '../helpers.js';
import { enr, ev, PROGRAM, sync, te, U, V } from '../tracker/fixtures.js';

const payload = { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events: [ev(V.ev1)] }] })] };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('admin state', () => {
  it('state keeps trackedEntities as before and adds enrollments (with their entity) and events; reset empties both', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    await sync(e, payload);
    const state = (await e.raw.get('/__admin/state').expect(200)).body;
    expect(state.trackedEntities).toHaveLength(1);
    expect(state.trackedEntities[0].enrollments).toMatchObject([{ uid: U.en1, program: PROGRAM }]);
    expect(state.enrollments).toMatchObject([{ uid: U.en1, program: PROGRAM, trackedEntity: U.a, status: 'ACTIVE' }]);
    expect(state.events).toMatchObject([{ uid: V.ev1, enrollment: U.en1, trackedEntity: U.a, deleted: false }]);
    expect(state.commitSeq).toBe(3);
    expect(e.mock.admin.enrollments()).toEqual(state.enrollments);
    expect(e.mock.admin.events()).toEqual(state.events);
    await e.raw.post('/__admin/reset').expect(200);
    expect((await e.raw.get('/__admin/state')).body).toMatchObject({ trackedEntities: [], enrollments: [], events: [] });
  });
});

describe('--db persistence of events', () => {
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dhis2-events-'));
    dirs.push(dir);
    return join(dir, 'db.json');
  };

  it('events and enrollments survive a restart on the same file', async () => {
    const file = tmp();
    const first = await createMockDhis2({ db: file, uniqueness: 'atomic', seed: 1, log: () => {}, dhis2Version: '2.41' });
    expect((await request(first.app).post('/api/tracker?async=false').set('Authorization', ADMIN).send(payload)).status).toBe(200);
    await first.close();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.events.map((x: { uid: string }) => x.uid)).toEqual([V.ev1]);
    const second = await createMockDhis2({ db: file, log: () => {}, dhis2Version: '2.41' });
    expect(second.events.get(V.ev1)).toMatchObject({ enrollment: U.en1 });
    expect(second.store.enrollment(U.en1)?.entity.uid).toBe(U.a);
    await second.close();
  });

  it('a file written before events existed (no "events" key, entities without enrollments) still loads', async () => {
    const file = tmp();
    writeFileSync(file, JSON.stringify({ version: 1, trackedEntities: [{ ...te(U.a), uid: U.a, trackedEntityType: 'nEenWmSyUEp', created: '2024-01-01T00:00:00.000', lastUpdated: '2024-01-01T00:00:00.000', inactive: false, deleted: false, potentialDuplicate: false, attributes: [], programOwners: [] }] }));
    const mock = await createMockDhis2({ db: file, log: () => {} });
    expect(mock.store.get(U.a)?.enrollments).toEqual([]);
    expect(mock.events.size).toBe(0);
    await mock.close();
  });

  it('"events" that is not an array is refused at start', async () => {
    const file = tmp();
    writeFileSync(file, JSON.stringify({ version: 1, trackedEntities: [], events: {} }));
    await expect(createMockDhis2({ db: file, log: () => {} })).rejects.toThrow(/events: Invalid input: expected array/);
  });
});
