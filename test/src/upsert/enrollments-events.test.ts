/**
 * Enrollments and events of a record on both APIs (issue 17): created once, unchanged on a re-run,
 * only a changed data value sent, another system's enrollment adopted, and no duplicate after a
 * response lost behind a committed write on any write route.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertTrackedEntity } from '../../../src/upsert/upsert.js';
import { upsertMany } from '../../../src/upsert/upsert-many.js';
import { InvalidRecordError } from '../../../src/errors.js';
import { eventUid } from '../../../src/upsert/children/uids.js';
import { docBlock } from '../../docs/doc-blocks.js';
import { type Env, instantEnv, person, startEnv } from './helpers.js';
import { BIRTH, bodyClient, CHILD, childRecord, DE, foreignEnroll, POSTNATAL, storeOf } from './enrollments-helpers.js';

const CASES = [
  { version: '2.35', api: 'legacy' as const },
  { version: '2.40', api: 'legacy' as const },
  { version: '2.38', api: 'tracker' as const },
  { version: '2.41', api: 'tracker' as const },
  { version: '2.42', api: 'tracker' as const },
];

/** drop-after-commit on the first write(s) of each write route the API uses */
const DROP_EVERY_CREATE = {
  legacy: [
    { kind: 'drop-after-commit', method: 'POST', path: '/api/trackedEntityInstances', nth: 1 },
    { kind: 'drop-after-commit', method: 'POST', path: '/api/enrollments', nth: 1 },
    { kind: 'drop-after-commit', method: 'POST', path: '/api/events', nth: [1, 2] },
  ],
  tracker: [{ kind: 'drop-after-commit', method: 'POST', path: '/api/tracker', nth: [1, 2, 3, 4] }],
};
const DROP_UPDATE = {
  legacy: [{ kind: 'drop-after-commit', method: 'PUT', path: '/api/events/:uid', nth: 1 }],
  tracker: [{ kind: 'drop-after-commit', method: 'POST', path: '/api/tracker', nth: 1 }],
};

for (const c of CASES) {
  describe(`enrollments and events on DHIS2 ${c.version} (${c.api})`, () => {
    let env: Env;
    const opts = { api: c.api, env: instantEnv };
    beforeEach(async () => {
      env = await startEnv(c.version, 'atomic');
    });
    afterEach(async () => {
      env.mock.admin.faults.clear();
      await env.close();
    });

    it('creates the entity, one enrollment and two events with their data values', async () => {
      const r = await upsertTrackedEntity(env.client, childRecord('EV-1'), opts);
      expect(r.action).toBe('created');
      expect(r.enrollments).toEqual([{ program: CHILD, uid: expect.any(String), action: 'created' }]);
      expect(r.events?.map((e) => [e.programStage, e.key, e.action])).toEqual([[BIRTH, 'birth-EV-1', 'created'], [POSTNATAL, 'visit-EV-1', 'created']]);
      expect(r.events![0].uid).toBe(eventUid(r.uid, BIRTH, 'birth-EV-1'));
      const s = storeOf(env, 'EV-1');
      expect([s.entities.length, s.enrollments.length, s.events.length]).toEqual([1, 1, 2]);
      expect(s.values(BIRTH)[DE.birthWeight]).toBe('3400');
      expect(s.values(POSTNATAL)[DE.infantWeight]).toBe('3600');
    });

    it('a re-run is unchanged and writes nothing', async () => {
      await upsertTrackedEntity(env.client, childRecord('EV-2'), opts);
      const client = bodyClient(env);
      const r = await upsertTrackedEntity(client, childRecord('EV-2'), opts);
      await client.close();
      expect([r.action, ...r.enrollments!.map((e) => e.action), ...r.events!.map((e) => e.action)]).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
      expect(client.writes).toEqual([]);
    });

    it('a changed data value updates that event, sends only that value and keeps the others', async () => {
      await upsertTrackedEntity(env.client, childRecord('EV-3', { apgar: '7' }), opts);
      const client = bodyClient(env);
      const r = await upsertTrackedEntity(client, childRecord('EV-3', { infantWeight: '3900' }), opts);
      await client.close();
      expect(r.events!.map((e) => e.action)).toEqual(['unchanged', 'updated']);
      expect(client.writes).toHaveLength(1);
      const body = JSON.stringify(client.writes[0].body);
      expect(body).toContain('3900');
      expect(body).not.toContain(`visit-EV-3"`); // the unchanged source key is not resent
      const s = storeOf(env, 'EV-3');
      expect(s.values(POSTNATAL)).toMatchObject({ [DE.infantWeight]: '3900', [DE.sourceVisitId]: 'visit-EV-3' });
      expect(s.values(BIRTH)[DE.apgarScore]).toBe('7');
      expect(s.events).toHaveLength(2);
    });

    it("another system's enrollment is adopted, not duplicated", async () => {
      const first = await upsertTrackedEntity(env.client, person('EV-4'), opts);
      const foreign = await foreignEnroll(env, first.uid, CHILD, c.api);
      const r = await upsertTrackedEntity(env.client, childRecord('EV-4'), opts);
      expect(r.enrollments).toEqual([{ program: CHILD, uid: foreign, action: 'unchanged' }]);
      const s = storeOf(env, 'EV-4');
      expect(s.enrollments).toHaveLength(1);
      expect(new Set(s.events.map((e) => e.enrollment))).toEqual(new Set([foreign]));
    });

    it('a lost response after every committed create: retried, reported created, nothing duplicated', async () => {
      env.mock.admin.faults.install({ seed: 1, rules: DROP_EVERY_CREATE[c.api] as never });
      const r = await upsertTrackedEntity(env.client, childRecord('EV-5'), opts);
      expect([r.action, ...r.enrollments!.map((e) => e.action), ...r.events!.map((e) => e.action)]).toEqual(['created', 'created', 'created', 'created']);
      expect(env.mock.admin.faults.status().rules.reduce((n, x) => n + x.injected, 0)).toBe(4);
      const s = storeOf(env, 'EV-5');
      expect([s.entities.length, s.enrollments.length, s.events.length]).toEqual([1, 1, 2]);
    });

    it('upsertMany carries enrollments and events and reports them per record; a re-run is unchanged', async () => {
      const records = [childRecord('EV-7'), person('EV-8'), childRecord('EV-9', { apgar: '8' })];
      const first = await upsertMany(env.client, records, opts);
      expect(first.results.map((r) => r.ok && [r.action, r.enrollments?.length ?? 0, r.events?.map((e) => e.action).join('/') ?? ''])).toEqual([
        ['created', 1, 'created/created'], ['created', 0, ''], ['created', 1, 'created/created'],
      ]);
      for (const nid of ['EV-7', 'EV-9']) {
        const s = storeOf(env, nid);
        expect([s.entities.length, s.enrollments.length, s.events.length]).toEqual([1, 1, 2]);
      }
      expect(storeOf(env, 'EV-9').values(BIRTH)[DE.apgarScore]).toBe('8');
      const again = await upsertMany(env.client, records, opts);
      expect(again.results.flatMap((r) => (r.ok ? [r.action, ...(r.events ?? []).map((e) => e.action)] : ['failed']))).toEqual(Array(7).fill('unchanged'));
    });

    it('a lost response after a committed event update: reported updated, value kept once', async () => {
      await upsertTrackedEntity(env.client, childRecord('EV-6'), opts);
      env.mock.admin.faults.install({ seed: 1, rules: DROP_UPDATE[c.api] as never });
      const r = await upsertTrackedEntity(env.client, childRecord('EV-6', { birthWeight: '3550' }), opts);
      expect(r.events!.map((e) => e.action)).toEqual(['updated', 'unchanged']);
      expect(env.mock.admin.faults.status().rules[0].injected).toBe(1);
      const s = storeOf(env, 'EV-6');
      expect(s.values(BIRTH)[DE.birthWeight]).toBe('3550');
      expect(s.events).toHaveLength(2);
    });
  });
}

describe('docs/core.md record with an enrollment', () => {
  it('is valid and upserts (created, then unchanged) on 2.41', async () => {
    const record = JSON.parse(docBlock('core-enrollment-record').code);
    const env = await startEnv('2.41', 'atomic');
    try {
      const first = await upsertTrackedEntity(env.client, record, { env: instantEnv });
      expect([first.action, first.enrollments![0].action, first.events![0].action]).toEqual(['created', 'created', 'created']);
      const again = await upsertTrackedEntity(env.client, record, { env: instantEnv });
      expect([again.action, again.enrollments![0].action, again.events![0].action]).toEqual(['unchanged', 'unchanged', 'unchanged']);
    } finally {
      await env.close();
    }
  });
});

describe('record validation of enrollments', () => {
  const bad = (patch: (r: any) => void) => {
    const r: any = childRecord('EV-X');
    patch(r);
    return upsertTrackedEntity({} as never, r);
  };
  it.each([
    ['a bad date', (r: any) => (r.enrollments[0].enrolledAt = '2024-02-30'), /enrolledAt/],
    ['an empty event key', (r: any) => (r.enrollments[0].events[0].key = '  '), /key/],
    ['a key twice in one stage', (r: any) => r.enrollments[0].events.push({ ...r.enrollments[0].events[0] }), /unique per entity and stage/],
    ['an unknown status', (r: any) => (r.enrollments[0].events[0].status = 'DONE'), /status/],
    ['a bad program UID', (r: any) => (r.enrollments[0].program = 'nope'), /program/],
  ])('%s is an InvalidRecordError', async (_name, patch, message) => {
    await expect(bad(patch)).rejects.toThrow(InvalidRecordError);
    await expect(bad(patch)).rejects.toThrow(message);
  });
});
