import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { upsertMany, type UpsertManyProgress } from '../../../src/upsert/upsert-many.js';
import { upsertTrackedEntity } from '../../../src/upsert/upsert.js';
import { keyUid } from '../../../src/uid.js';
import { AmbiguousMatchError, Dhis2ConflictError, InvalidRecordError } from '../../../src/errors.js';
import { A, attrsOf, bare, type Env, directCreate, hookedClient, instantEnv, liveWith, OU, person, startEnv } from './helpers.js';
import { startFaultProxy } from './fault-proxy.js';
import { Dhis2Client } from '../../../src/client/dhis2-client.js';

const CASES = [
  { version: '2.35', api: 'auto' as const },
  { version: '2.39', api: 'legacy' as const },
  { version: '2.40', api: 'tracker' as const },
  { version: '2.41', api: 'auto' as const },
  { version: '2.42', api: 'auto' as const },
];

for (const c of CASES) {
  describe(`upsertMany on DHIS2 ${c.version} (api ${c.api})`, () => {
    let env: Env;
    beforeEach(async () => {
      env = await startEnv(c.version, 'atomic');
    });
    afterEach(async () => {
      await env.close();
    });
    const opts = { api: c.api, env: instantEnv };

    it('mixed outcomes with per-record results and far fewer requests than one at a time', async () => {
      await upsertTrackedEntity(env.client, person('M-1', { [A.firstName]: 'Same' }), opts);
      await upsertTrackedEntity(env.client, person('M-2', { [A.firstName]: 'Old', [A.phone]: '9' }), opts);
      const foreign = await directCreate(env, { [A.nationalId]: 'M-3', [A.firstName]: 'Hand' }, OU.kamaranka);
      env.mock.admin.configure({ uniqueness: 'off' });
      const d1 = await directCreate(env, { [A.nationalId]: 'M-4' });
      const d2 = await directCreate(env, { [A.nationalId]: 'M-4' });
      env.mock.admin.configure({ uniqueness: 'atomic' });

      const records = [
        person('M-1', { [A.firstName]: 'Same' }), // 0 unchanged
        person('M-2', { [A.firstName]: 'New' }), // 1 updated, phone kept
        person('M-3', { [A.lastName]: 'Adopted' }), // 2 updated (foreign UID)
        person('M-4'), // 3 ambiguous
        person('M-5', { [A.firstName]: 'First' }), // 4 created; merged with 6
        { ...person('M-6'), orgUnit: 'not-a-uid' }, // 5 invalid
        bare('M-5', { [A.lastName]: 'Second' }), // 6 same key as 4
        person('M-7', { [A.weight]: 'heavy' }), // 7 validation failure
        ...Array.from({ length: 30 }, (_, i) => person(`N-${i}`, { [A.firstName]: `P${i}` })), // 8.. created
      ];
      const progress: UpsertManyProgress[] = [];
      const res = await upsertMany(env.client, records, { ...opts, batchSize: 10, onProgress: (p) => progress.push(p) });

      const r = res.results;
      expect(r).toHaveLength(records.length);
      expect(r[0]).toMatchObject({ ok: true, action: 'unchanged', uid: keyUid(records[0]) });
      expect(r[1]).toMatchObject({ ok: true, action: 'updated' });
      expect(r[2]).toMatchObject({ ok: true, action: 'updated', uid: foreign });
      expect(r[3].ok).toBe(false);
      const amb = (r[3] as { error: Error }).error as AmbiguousMatchError;
      expect(amb).toBeInstanceOf(AmbiguousMatchError);
      expect([...amb.uids].sort()).toEqual([d1, d2].sort());
      expect(r[4]).toMatchObject({ ok: true, action: 'created', uid: keyUid(records[4]) });
      expect(r[6]).toMatchObject({ ok: true, action: 'created', uid: keyUid(records[4]) });
      expect((r[5] as { error: Error }).error).toBeInstanceOf(InvalidRecordError);
      expect((r[7] as { error: Error }).error).toBeInstanceOf(Dhis2ConflictError);
      for (let i = 8; i < records.length; i++) expect(r[i]).toMatchObject({ ok: true, action: 'created', uid: keyUid(records[i]) });

      expect(attrsOf(liveWith(env, A.nationalId, 'M-2')[0])).toMatchObject({ [A.firstName]: 'New', [A.phone]: '9' });
      expect(attrsOf(liveWith(env, A.nationalId, 'M-5')[0])).toMatchObject({ [A.firstName]: 'First', [A.lastName]: 'Second' });
      expect(liveWith(env, A.nationalId, 'M-7')).toHaveLength(0);
      expect(res.counts).toEqual({ created: 32, updated: 2, unchanged: 1, failed: 3 });
      expect(progress.at(-1)).toMatchObject({ total: records.length, done: records.length });
      // One search + a few imports (+ the single-record retry of the failed record), versus ≥ 2 per record.
      expect(res.requests).toBeLessThan(15);
      expect(env.mock.admin.invariants().ok).toBe(false); // only the pre-made M-4 duplicates
      expect(env.mock.admin.invariants().duplicates.map((d) => d.value)).toEqual(['M-4']);
    });

    it('200 new records cost a handful of requests; a repeat run only searches', async () => {
      const records = Array.from({ length: 200 }, (_, i) => person(`BULK-${i}`, { [A.lastName]: `L${i}` }));
      const first = await upsertMany(env.client, records, opts);
      expect(first.counts.created).toBe(200);
      // 1 metadata read + 1 search + 4 imports of 50.
      expect(first.requests).toBeLessThanOrEqual(6);
      const again = await upsertMany(env.client, records, opts);
      expect(again.counts.unchanged).toBe(200);
      expect(again.requests).toBeLessThanOrEqual(2);
      expect(env.mock.admin.invariants().ok).toBe(true);
    });

    it('chunks searches to keep URLs short', async () => {
      const client = hookedClient(env);
      try {
        const records = Array.from({ length: 120 }, (_, i) => person(`LONG-KEY-VALUE-${String(i).padStart(4, '0')}-${'x'.repeat(20)}`));
        const res = await upsertMany(client, records, { ...opts, maxUrlLength: 2000, batchSize: 60 });
        expect(res.counts.created).toBe(120);
        const searches = client.calls.filter((x) => x.method === 'GET' && /^(trackedEntityInstances|tracker\/trackedEntities)$/.test(x.path));
        expect(searches.length).toBeGreaterThan(2);
        const second = await upsertMany(client, records, { ...opts, maxUrlLength: 2000 });
        expect(second.counts.unchanged).toBe(120);
      } finally {
        await client.close();
      }
    });

    it('a lost bulk response falls back to per-record upserts without duplicates', async () => {
      let writes = 0;
      const proxy = await startFaultProxy(env.mock.url, (r) => (r.method !== 'GET' && ++writes === 1 ? { kind: 'commit-then-drop' } : { kind: 'pass' }));
      const client = new Dhis2Client({ baseUrl: proxy.url, auth: { username: 'admin', password: 'district' } });
      try {
        const records = Array.from({ length: 8 }, (_, i) => person(`LOST-${i}`, { [A.firstName]: 'X' }));
        const res = await upsertMany(client, records, opts);
        expect(res.results.every((x) => x.ok)).toBe(true);
        for (let i = 0; i < 8; i++) expect(liveWith(env, A.nationalId, `LOST-${i}`)).toHaveLength(1);
      } finally {
        await client.close();
        await proxy.close();
      }
    });
  });
}
