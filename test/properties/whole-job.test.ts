/**
 * The done-when of issue 17: sixteen concurrent runs of one record with an enrollment and two
 * events, under racy uniqueness and drop-after-commit faults on every write route, leave exactly
 * one entity, one enrollment and two events with their data values, on a legacy release (2.40,
 * legacy API) and a tracker release (2.41). A naive flow (enroll and add events without looking)
 * under the same conditions leaves duplicates, so the assertions can fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMockDhis2, DEMO_IDS, type MockDhis2 } from '../../mock-server/index.js';
import { Dhis2Client } from '../../src/client/dhis2-client.js';
import { upsertTrackedEntity, type UpsertResult } from '../../src/upsert/upsert.js';
import { childRecord, storeOf } from '../src/upsert/enrollments-helpers.js';
import { announceSeed, FC_SEED } from './fc-config.js';

announceSeed('whole-job');

const RUNS = 16;
const A = DEMO_IDS.attributes;
const DE = DEMO_IDS.dataElements;
const PS = DEMO_IDS.programStages;

/** A lost response after a committed write, on the first writes of every create route. */
const FAULTS = {
  legacy: [
    { kind: 'drop-after-commit', method: 'POST', path: '/api/trackedEntityInstances', nth: [1, 2] },
    { kind: 'drop-after-commit', method: 'POST', path: '/api/enrollments', nth: [1, 2] },
    { kind: 'drop-after-commit', method: 'POST', path: '/api/events', nth: [1, 2, 3] },
  ],
  tracker: [{ kind: 'drop-after-commit', method: 'POST', path: '/api/tracker', nth: [1, 2, 3, 4, 5, 6] }],
};
/** The second round changes a data value: the event update route loses its first answers. */
const UPDATE_FAULTS = {
  legacy: [{ kind: 'drop-after-commit', method: 'PUT', path: '/api/events/:uid', nth: [1, 2] }],
  tracker: [{ kind: 'drop-after-commit', method: 'POST', path: '/api/tracker', nth: [1, 2] }],
};

const CASES = [
  { version: '2.40', api: 'legacy' as const },
  { version: '2.41', api: 'tracker' as const },
];

type Flow = (client: Dhis2Client, api: 'legacy' | 'tracker', nid: string) => Promise<unknown>;

const robust: Flow = (client, api, nid) =>
  // singleFlight off: sixteen processes, not sixteen callers of one process
  upsertTrackedEntity(client, childRecord(nid), { api, singleFlight: false, env: { sleep: async () => {} } });

/** The same job a day later, the birth weight corrected. */
const corrected: Flow = (client, api, nid) =>
  upsertTrackedEntity(client, childRecord(nid, { birthWeight: '3550' }), { api, singleFlight: false, env: { sleep: async () => {} } });

/**
 * The flow seen in the field: upsert the entity (robustly), then POST the enrollment and the events
 * with server-chosen UIDs, without looking first, re-sending a write whose response was lost. The
 * events name the entity's first enrollment, looked up after enrolling.
 */
const naive: Flow = async (client, api, nid) => {
  const rec = childRecord(nid);
  const { uid } = await upsertTrackedEntity(client, { ...rec, enrollments: undefined }, { api, singleFlight: false, env: { sleep: async () => {} } });
  const en = rec.enrollments![0];
  const send = async (f: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) {
      try {
        return await f();
      } catch {
        // retry blindly
      }
    }
  };
  const legacy = api === 'legacy';
  await send(() => (legacy
    ? client.post('enrollments', { trackedEntityInstance: uid, program: en.program, orgUnit: rec.orgUnit, enrollmentDate: en.enrolledAt, incidentDate: en.enrolledAt })
    : client.post('tracker', { enrollments: [{ trackedEntity: uid, program: en.program, orgUnit: rec.orgUnit, enrolledAt: en.enrolledAt, occurredAt: en.enrolledAt }] }, { async: false })));
  const list = legacy
    ? await client.get<any>('enrollments', { trackedEntityInstance: uid, program: en.program })
    : await client.get<any>('tracker/enrollments', { trackedEntity: uid, program: en.program });
  const enrollment = (list.body.enrollments ?? list.body.instances)?.[0]?.enrollment;
  if (!enrollment) return;
  for (const ev of en.events!) {
    const base = { program: en.program, programStage: ev.programStage, enrollment, orgUnit: rec.orgUnit, dataValues: ev.dataValues };
    await send(() => (legacy
      ? client.post('events', { ...base, trackedEntityInstance: uid, eventDate: ev.occurredAt })
      : client.post('tracker', { events: [{ ...base, occurredAt: ev.occurredAt }] }, { async: false })));
  }
};

let mock: MockDhis2 | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function sixteen(version: string, api: 'legacy' | 'tracker', flow: Flow, nid: string, faults: typeof FAULTS = FAULTS) {
  if (!mock) {
    mock = await createMockDhis2({ dhis2Version: version, uniqueness: 'racy', seed: FC_SEED, log: () => {} });
    await mock.listen();
  }
  mock.admin.faults.install({ seed: FC_SEED, rules: faults[api] as never });
  const clients = Array.from({ length: RUNS }, () => new Dhis2Client({ baseUrl: mock!.url, auth: { username: 'admin', password: 'district' } }));
  try {
    const settled = await Promise.allSettled(clients.map((c) => flow(c, api, nid)));
    const env = { mock } as never;
    return { settled, store: storeOf(env, nid), injected: mock.admin.faults.status().rules.map((r) => r.injected), invariants: mock.admin.invariants([A.nationalId], { eventKeyDataElements: [DE.sourceVisitId] }) };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

for (const c of CASES) {
  describe(`whole job on DHIS2 ${c.version} (${c.api} API), ${RUNS} concurrent runs, racy uniqueness, drop-after-commit on every write route`, () => {
    it('robust core: exactly one entity, one enrollment, two events with their data values', async () => {
      const { settled, store, injected, invariants } = await sixteen(c.version, c.api, robust, 'JOB-1');
      const failed = settled.filter((s) => s.status === 'rejected');
      expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
      const results = settled.map((s) => (s as PromiseFulfilledResult<UpsertResult>).value);
      expect(new Set(results.map((r) => r.uid)).size).toBe(1);
      expect(new Set(results.map((r) => r.enrollments![0].uid)).size).toBe(1);
      expect(new Set(results.flatMap((r) => r.events!.map((e) => e.uid))).size).toBe(2);
      expect(injected.every((n) => n > 0), `faults injected per rule: ${injected}`).toBe(true);
      expect([store.entities.length, store.enrollments.length, store.events.length]).toEqual([1, 1, 2]);
      expect(store.values(PS.birth)).toMatchObject({ [DE.birthWeight]: '3400', [DE.sourceVisitId]: 'birth-JOB-1' });
      expect(store.values(PS.babyPostnatal)).toMatchObject({ [DE.infantWeight]: '3600', [DE.sourceVisitId]: 'visit-JOB-1' });
      expect(invariants.ok, JSON.stringify(invariants)).toBe(true);

      const again = await sixteen(c.version, c.api, corrected, 'JOB-1', UPDATE_FAULTS);
      expect(again.settled.filter((s) => s.status === 'rejected').map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
      const actions = again.settled.map((s) => (s as PromiseFulfilledResult<UpsertResult>).value.events![0].action);
      expect(actions).toContain('updated');
      expect(again.injected.every((n) => n > 0), `faults injected per rule: ${again.injected}`).toBe(true);
      expect([again.store.entities.length, again.store.enrollments.length, again.store.events.length]).toEqual([1, 1, 2]);
      expect(again.store.values(PS.birth)).toMatchObject({ [DE.birthWeight]: '3550', [DE.sourceVisitId]: 'birth-JOB-1' });
      expect(again.store.values(PS.babyPostnatal)).toMatchObject({ [DE.infantWeight]: '3600' });
      expect(again.invariants.ok, JSON.stringify(again.invariants)).toBe(true);
    });

    it('naive flow (enroll and add events without looking): duplicates, as in the field', async () => {
      const { store, invariants } = await sixteen(c.version, c.api, naive, 'JOB-2');
      expect(store.entities).toHaveLength(1);
      // a Baby Postnatal event per run at least (the stage is repeatable: nothing stops them)
      expect(store.enrollments.length > 1 || store.events.length > 2, `${store.enrollments.length} enrollments, ${store.events.length} events`).toBe(true);
      expect(invariants.ok).toBe(false);
    });
  });
}
