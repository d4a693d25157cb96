import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { upsertTrackedEntity } from '../../../src/upsert/upsert.js';
import { createUidFor, keyOf } from '../../../src/upsert/key.js';
import { defaultMeta } from '../../../src/upsert/attribute-meta.js';
import { keyUid } from '../../../src/uid.js';
import { AmbiguousMatchError, Dhis2ConflictError } from '../../../src/errors.js';
import { barrier, isKeySearch, startFaultProxy } from './fault-proxy.js';
import { Dhis2Client } from '../../../src/client/dhis2-client.js';
import { A, attrsOf, bare, CONFIGS, directCreate, directDelete, type Env, hookedClient, instantEnv, liveWith, OU, person, startEnv } from './helpers.js';

for (const cfg of CONFIGS) {
  describe(`robust upsert on DHIS2 ${cfg.version} (api ${cfg.api} → ${cfg.expect})`, () => {
    let env: Env;
    beforeEach(async () => {
      env = await startEnv(cfg.version, 'atomic');
    });
    afterEach(async () => {
      await env.close();
    });
    const opts = { api: cfg.api, env: instantEnv };

    it('creates with the deterministic UID, then reports unchanged without writing', async () => {
      const rec = person('NID-100', { [A.firstName]: 'Ann' });
      const r1 = await upsertTrackedEntity(env.client, rec, opts);
      expect(r1).toMatchObject({ uid: keyUid(rec), action: 'created', attempts: 1, api: cfg.expect });
      const r2 = await upsertTrackedEntity(env.client, rec, opts);
      expect(r2).toMatchObject({ uid: r1.uid, action: 'unchanged', attempts: 1, requests: 2 }); // the search, then the read by UID that decides (searches may lag)
      expect(liveWith(env, A.nationalId, 'NID-100')).toHaveLength(1);
    });

    it('updates by merging: attributes the record omits are kept', async () => {
      await upsertTrackedEntity(env.client, person('NID-101', { [A.firstName]: 'Ann', [A.phone]: '+23276000001' }), opts);
      const r = await upsertTrackedEntity(env.client, person('NID-101', { [A.firstName]: 'Anna', [A.lastName]: 'Lee' }), opts);
      expect(r.action).toBe('updated');
      const [e] = liveWith(env, A.nationalId, 'NID-101');
      expect(attrsOf(e)).toEqual({ [A.nationalId]: 'NID-101', [A.firstName]: 'Anna', [A.lastName]: 'Lee', [A.phone]: '+23276000001' });
    });

    it('adopts an entity created elsewhere with a random UID at another org unit', async () => {
      const existing = await directCreate(env, { [A.nationalId]: 'NID-102', [A.firstName]: 'Bo' }, OU.kamaranka);
      const r = await upsertTrackedEntity(env.client, bare('NID-102', { [A.lastName]: 'Bah' }, OU.ngelehun), opts);
      expect(r).toMatchObject({ uid: existing, action: 'updated' });
      const live = liveWith(env, A.nationalId, 'NID-102');
      expect(live).toHaveLength(1);
      expect(live[0].orgUnit).toBe(OU.kamaranka);
      expect(attrsOf(live[0])).toMatchObject({ [A.firstName]: 'Bo', [A.lastName]: 'Bah' });
    });

    it('refuses to choose between duplicates and writes nothing', async () => {
      env.mock.admin.configure({ uniqueness: 'off' });
      const a = await directCreate(env, { [A.nationalId]: 'NID-103', [A.firstName]: 'X' });
      const b = await directCreate(env, { [A.nationalId]: 'NID-103', [A.firstName]: 'Y' }, OU.bargbeChc);
      env.mock.admin.configure({ uniqueness: 'atomic' });
      const before = JSON.stringify(env.mock.admin.state());
      const err = await upsertTrackedEntity(env.client, person('NID-103', { [A.firstName]: 'Z' }), opts).catch((e) => e);
      expect(err).toBeInstanceOf(AmbiguousMatchError);
      expect(err.code).toBe('AMBIGUOUS_MATCH');
      expect([...err.uids].sort()).toEqual([a, b].sort());
      expect(JSON.stringify(env.mock.admin.state())).toBe(before);
    });

    it('recovers from losing the create race: re-searches and updates the winner', async () => {
      const client = hookedClient(env);
      let competitor: string | undefined;
      client.beforeRequest = async (method) => {
        if (method === 'POST' && !competitor) competitor = await directCreate(env, { [A.nationalId]: 'NID-104', [A.firstName]: 'Winner', [A.phone]: '1' });
      };
      try {
        const r = await upsertTrackedEntity(client, person('NID-104', { [A.firstName]: 'Late', [A.lastName]: 'Comer' }), opts);
        expect(r).toMatchObject({ uid: competitor, action: 'updated', attempts: 2 });
        const live = liveWith(env, A.nationalId, 'NID-104');
        expect(live).toHaveLength(1);
        expect(attrsOf(live[0])).toEqual({ [A.nationalId]: 'NID-104', [A.firstName]: 'Late', [A.phone]: '1', [A.lastName]: 'Comer' });
      } finally {
        await client.close();
      }
    });

    it('a key held outside the user\'s search scope: bounded recovery, clear error, nothing written', async () => {
      await directCreate(env, { [A.nationalId]: 'NID-110' }, OU.kamaranka); // Bombali: outside bo_clerk's scope
      const clerk = hookedClient(env, { username: 'bo_clerk', password: 'District1!' });
      try {
        const err = await upsertTrackedEntity(clerk, person('NID-110', {}, OU.ngelehun), opts).catch((e) => e);
        expect(err).toBeInstanceOf(Dhis2ConflictError);
        expect(err.message).toContain('cannot see');
        // 1 create + 3 recoveries, each after a re-search; then it stops.
        expect(clerk.calls.filter((c) => c.method === 'POST')).toHaveLength(4);
        expect(liveWith(env, A.nationalId, 'NID-110')).toHaveLength(1);
      } finally {
        await clerk.close();
      }
    });

    it('skips a soft-deleted deterministic UID with the next generation', async () => {
      // A non-unique key: on the tracker API a unique value stays blocked by the deleted entity.
      const rec = { ...person('ignored', { [A.firstName]: 'Gone' }), matchAttribute: A.phone, attributes: [{ attribute: A.phone, value: '+232-105' }, { attribute: A.firstName, value: 'Gone' }] };
      const r1 = await upsertTrackedEntity(env.client, rec, opts);
      await directDelete(env, r1.uid);
      const r2 = await upsertTrackedEntity(env.client, rec, opts);
      expect(r2.action).toBe('created');
      expect(r2.uid).toBe(createUidFor(keyOf(rec, defaultMeta(A.phone)), 1));
      expect(liveWith(env, A.phone, '+232-105').map((e) => e.uid)).toEqual([r2.uid]);
      const r3 = await upsertTrackedEntity(env.client, rec, opts);
      expect(r3).toMatchObject({ uid: r2.uid, action: 'unchanged' });
    });

    it('a unique value held by a soft-deleted entity: legacy reuses it, tracker fails clearly', async () => {
      const rec = person('NID-109', { [A.firstName]: 'Gone' });
      const r1 = await upsertTrackedEntity(env.client, rec, opts);
      await directDelete(env, r1.uid);
      if (cfg.expect === 'legacy') {
        const r2 = await upsertTrackedEntity(env.client, rec, opts);
        expect(r2).toMatchObject({ action: 'created', uid: createUidFor(keyOf(rec, defaultMeta(A.nationalId)), 1) });
      } else {
        const err = await upsertTrackedEntity(env.client, rec, opts).catch((e) => e);
        expect(err).toBeInstanceOf(Dhis2ConflictError);
        expect(err.conflicts[0].errorCode).toBe('E1064');
        expect(err.message).toContain('soft-deleted');
        expect(liveWith(env, A.nationalId, 'NID-109')).toHaveLength(0);
      }
    });

    it('never retries a validation error', async () => {
      const client = hookedClient(env);
      try {
        const err = await upsertTrackedEntity(client, person('NID-106', { [A.weight]: 'heavy' }), opts).catch((e) => e);
        expect(err).toBeInstanceOf(Dhis2ConflictError);
        expect(client.calls.filter((c) => c.method !== 'GET')).toHaveLength(1);
        expect(liveWith(env, A.nationalId, 'NID-106')).toHaveLength(0);
      } finally {
        await client.close();
      }
    });

    it('serialises concurrent upserts of one key in-process: one entity, one UID', async () => {
      const recs = Array.from({ length: 12 }, (_, i) => person('NID-107', { [A.firstName]: i % 2 ? 'Odd' : 'Even', [A.phone]: String(i) }));
      const results = await Promise.all(recs.map((r) => upsertTrackedEntity(env.client, r, opts)));
      expect(new Set(results.map((r) => r.uid)).size).toBe(1);
      expect(results.filter((r) => r.action === 'created')).toHaveLength(1);
      expect(liveWith(env, A.nationalId, 'NID-107')).toHaveLength(1);
      expect(env.mock.admin.invariants().ok).toBe(true);
    });

    it('converges without single-flight (separate processes) under racy uniqueness', async () => {
      env.mock.admin.configure({ uniqueness: 'racy' });
      // Every process's first search is held until all have searched: all see "no match" and create.
      const n = 6;
      const gate = barrier(n);
      let held = 0;
      const proxy = await startFaultProxy(env.mock.url, (r) => (isKeySearch(r) && held++ < n ? { kind: 'pass', hold: gate.arrive() } : { kind: 'pass' }));
      const clients = Array.from({ length: n }, () => new Dhis2Client({ baseUrl: proxy.url, auth: { username: 'admin', password: 'district' } }));
      try {
        const results = await Promise.all(
          clients.map((c, i) => upsertTrackedEntity(c, person('NID-108', { [A.phone]: String(i) }), { ...opts, singleFlight: false })),
        );
        expect(new Set(results.map((r) => r.uid)).size).toBe(1);
        expect(liveWith(env, A.nationalId, 'NID-108')).toHaveLength(1);
        expect(env.mock.admin.invariants().ok).toBe(true);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await proxy.close();
      }
    });
  });
}
