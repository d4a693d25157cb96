import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { implementations } from '../../../src/upsert/implementations.js';
import { references } from '../../../src/reference/index.js';
import { closeCachedClients } from '../../../src/upsert/context-client.js';
import { Dhis2ConflictError } from '../../../src/errors.js';
import { A, attrsOf, bare, directCreate, type Env, liveWith, OU, person, startEnv } from '../upsert/helpers.js';
import { barrier, isKeySearch, startFaultProxy } from '../upsert/fault-proxy.js';

let env: Env;
afterEach(async () => {
  await closeCachedClients();
  await env.close();
});

describe('implementations map', () => {
  beforeEach(async () => {
    env = await startEnv('2.39', 'atomic');
  });
  it('holds robust and every reference in the harness shape', async () => {
    expect(Object.keys(implementations).sort()).toEqual(
      ['robust', 'robustMany', 'searchAccessibleTakeFirstConcat', 'searchSelectedConcat', 'callerQueryVerbatimPut', 'trackerNoUid', 'naiveSearchThenCreate', 'eventUidFromDate', 'reenrollEveryRun', 'resendReadDataValues', 'trackerEventsNoUid', 'searchThenCreateWithEvents', 'legacyEventPut'].sort(),
    );
    const r = await implementations.robust(person('I-1', { [A.firstName]: 'A' }), env.ctx);
    expect(r).toMatchObject({ action: 'created' });
  });
});

describe('reference upserts work on the happy path (legacy 2.39)', () => {
  beforeEach(async () => {
    env = await startEnv('2.39', 'atomic');
  });
  for (const name of ['searchAccessibleTakeFirstConcat', 'searchSelectedConcat', 'callerQueryVerbatimPut', 'naiveSearchThenCreate'] as const) {
    it(`${name}: create then update`, async () => {
      const r1 = await references[name](person('H-1', { [A.firstName]: 'A' }), env.ctx);
      expect(r1.action).toBe('created');
      const r2 = await references[name](person('H-1', { [A.firstName]: 'B' }), env.ctx);
      expect(r2).toEqual({ uid: r1.uid, action: 'updated' });
      const live = liveWith(env, A.nationalId, 'H-1');
      expect(live).toHaveLength(1);
      expect(attrsOf(live[0])[A.firstName]).toBe('B');
    });
  }
});

describe('reference upserts show their known bugs', () => {
  beforeEach(async () => {
    env = await startEnv('2.39', 'off');
  });

  it('searchAccessibleTakeFirstConcat writes into one of several duplicates (robust refuses)', async () => {
    await directCreate(env, { [A.nationalId]: 'B-1', [A.firstName]: 'X' });
    await directCreate(env, { [A.nationalId]: 'B-1', [A.firstName]: 'Y' });
    const before = JSON.stringify(env.mock.admin.state());
    await references.searchAccessibleTakeFirstConcat(person('B-1', { [A.firstName]: 'Z' }), env.ctx);
    expect(JSON.stringify(env.mock.admin.state())).not.toBe(before);
    await expect(implementations.robust(person('B-1', { [A.firstName]: 'W' }), env.ctx)).rejects.toMatchObject({ code: 'AMBIGUOUS_MATCH' });
  });

  it('searchSelectedConcat misses an entity at another org unit and duplicates it', async () => {
    await directCreate(env, { [A.nationalId]: 'B-2' }, OU.kamaranka);
    await references.searchSelectedConcat(person('B-2', {}, OU.ngelehun), env.ctx);
    expect(liveWith(env, A.nationalId, 'B-2')).toHaveLength(2);
  });

  it('searchSelectedConcat with server-side uniqueness fails instead, and nothing retries', async () => {
    env.mock.admin.configure({ uniqueness: 'atomic' });
    await directCreate(env, { [A.nationalId]: 'B-3' }, OU.kamaranka);
    await expect(references.searchSelectedConcat(person('B-3', {}, OU.ngelehun), env.ctx)).rejects.toBeInstanceOf(Dhis2ConflictError);
    const r = await implementations.robust(bare('B-3', {}, OU.ngelehun), env.ctx);
    expect(r).toMatchObject({ action: 'unchanged' });
  });

  it('callerQueryVerbatimPut loses program attributes the record does not repeat', async () => {
    await references.callerQueryVerbatimPut(person('B-4', { [A.firstName]: 'Ann', [A.lastName]: 'Lee', [A.phone]: '1' }), env.ctx);
    await references.callerQueryVerbatimPut(bare('B-4', { [A.phone]: '2' }), env.ctx);
    const attrs = attrsOf(liveWith(env, A.nationalId, 'B-4')[0]);
    expect(attrs[A.phone]).toBe('2');
    expect(attrs[A.firstName]).toBeUndefined();
    expect(attrs[A.lastName]).toBeUndefined();
  });

  it('naiveSearchThenCreate duplicates under concurrency (check-then-act); robust does not', async () => {
    // Hold the first 4 key searches until all 4 arrived, so every run sees "no match".
    const gate = barrier(4);
    let held = 0;
    const proxy = await startFaultProxy(env.mock.url, (r) => (isKeySearch(r) && held++ < 4 ? { kind: 'pass', hold: gate.arrive() } : { kind: 'pass' }));
    try {
      const ctx = { ...env.ctx, baseUrl: proxy.url };
      await Promise.allSettled(Array.from({ length: 4 }, (_, i) => references.naiveSearchThenCreate(person('B-5', { [A.phone]: String(i) }), ctx)));
      expect(liveWith(env, A.nationalId, 'B-5')).toHaveLength(4);
    } finally {
      await closeCachedClients();
      await proxy.close();
    }
    // (The robust core under the same barrier, across processes, is in upsert.integration.test.ts.)
    await Promise.all(Array.from({ length: 4 }, (_, i) => implementations.robust(person('B-6', { [A.phone]: String(i) }), env.ctx)));
    expect(liveWith(env, A.nationalId, 'B-6')).toHaveLength(1);
  });
});

describe('trackerNoUid (2.40)', () => {
  beforeEach(async () => {
    env = await startEnv('2.40', 'off');
  });
  it('creates a new entity on every call', async () => {
    const r1 = await references.trackerNoUid(person('T-1'), env.ctx);
    const r2 = await references.trackerNoUid(person('T-1'), env.ctx);
    expect(r1.uid).not.toBe(r2.uid);
    expect(liveWith(env, A.nationalId, 'T-1')).toHaveLength(2);
  });
  it('fails with E1064 on the second call when the key is unique', async () => {
    env.mock.admin.configure({ uniqueness: 'atomic' });
    await references.trackerNoUid(person('T-2'), env.ctx);
    const err = await references.trackerNoUid(person('T-2'), env.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2ConflictError);
    expect(err.conflicts[0].errorCode).toBe('E1064');
  });
});
