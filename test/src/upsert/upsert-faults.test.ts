import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { upsertTrackedEntity } from '../../../src/upsert/upsert.js';
import { Dhis2Client } from '../../../src/client/dhis2-client.js';
import { keyUid } from '../../../src/uid.js';
import { AbortedError, RetryBudgetExceededError, TransportError } from '../../../src/errors.js';
import { A, bare, type Env, liveWith, person, startEnv } from './helpers.js';
import { type FaultAction, type FaultProxy, HTML_502, type ProxiedRequest, startFaultProxy } from './fault-proxy.js';

const CASES = [
  { version: '2.35', api: 'legacy' as const },
  { version: '2.40', api: 'tracker' as const },
  { version: '2.42', api: 'tracker' as const },
];

const isWrite = (r: ProxiedRequest) => r.method !== 'GET';
const isSearch = (r: ProxiedRequest) => r.method === 'GET' && /trackedEntit(yInstances|ies)\?/.test(r.url);

for (const c of CASES) {
  describe(`faults on DHIS2 ${c.version} (${c.api})`, () => {
    let env: Env;
    let proxy: FaultProxy;
    let client: Dhis2Client;
    let plan: (r: ProxiedRequest) => FaultAction;
    const sleeps: number[] = [];
    const opts = () => ({ env: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 } });

    beforeEach(async () => {
      env = await startEnv(c.version, 'atomic');
      plan = () => ({ kind: 'pass' });
      proxy = await startFaultProxy(env.mock.url, (r) => plan(r));
      client = new Dhis2Client({ baseUrl: proxy.url, auth: { username: 'admin', password: 'district' }, timeouts: { headers: 5000 } });
      sleeps.length = 0;
    });
    afterEach(async () => {
      await client.close();
      await proxy.close();
      await env.close();
    });

    /** Applies `action` to the n-th request matching `match`, passes everything else. */
    const nth = (match: (r: ProxiedRequest) => boolean, n: number, action: FaultAction) => {
      let seen = 0;
      plan = (r) => (match(r) && ++seen === n ? action : { kind: 'pass' });
    };

    it('commit, then lost response on create: retries, finds its own entity, no duplicate', async () => {
      nth(isWrite, 1, { kind: 'commit-then-drop' });
      const rec = person('NID-200', { [A.firstName]: 'Ann' });
      const r = await upsertTrackedEntity(client, rec, opts());
      expect(r).toMatchObject({ uid: keyUid(rec), action: 'created', attempts: 2, api: c.api });
      expect(liveWith(env, A.nationalId, 'NID-200')).toHaveLength(1);
      expect(proxy.seen.filter(isWrite)).toHaveLength(1);
    });

    it('commit, then lost response on update: reports updated, attributes kept', async () => {
      await upsertTrackedEntity(client, person('NID-201', { [A.firstName]: 'Ann' }), opts());
      nth(isWrite, 1, { kind: 'commit-then-drop' });
      const r = await upsertTrackedEntity(client, bare('NID-201', { [A.lastName]: 'Lee' }), opts());
      expect(r).toMatchObject({ action: 'updated', attempts: 2 });
      const live = liveWith(env, A.nationalId, 'NID-201');
      expect(live).toHaveLength(1);
      expect(live[0].attributes.map((a) => a.attribute).sort()).toEqual([A.nationalId, A.firstName, A.lastName].sort());
    });

    it('an HTML 502 from a proxy before the write: retried after a re-search', async () => {
      nth(isWrite, 1, { kind: 'respond', status: 502, body: HTML_502 });
      const r = await upsertTrackedEntity(client, person('NID-202'), opts());
      expect(r).toMatchObject({ action: 'created', attempts: 2 });
      expect(proxy.seen.filter(isSearch)).toHaveLength(2);
      expect(liveWith(env, A.nationalId, 'NID-202')).toHaveLength(1);
    });

    it('honours Retry-After on 429', async () => {
      nth(isSearch, 1, { kind: 'respond', status: 429, body: '{"message":"Too many requests"}', headers: { 'retry-after': '3', 'content-type': 'application/json' } });
      const r = await upsertTrackedEntity(client, person('NID-203'), opts());
      expect(r.attempts).toBe(2);
      expect(sleeps).toEqual([3000]);
    });

    it('a connection reset on the search is retried', async () => {
      nth(isSearch, 1, { kind: 'reset' });
      const r = await upsertTrackedEntity(client, person('NID-204'), opts());
      expect(r).toMatchObject({ action: 'created', attempts: 2 });
    });

    it('gives up after maxAttempts when every write fails with 503', async () => {
      plan = (r) => (isWrite(r) ? { kind: 'respond', status: 503, body: 'Service Unavailable' } : { kind: 'pass' });
      const err = await upsertTrackedEntity(client, person('NID-205'), { ...opts(), retry: { maxAttempts: 3 } }).catch((e) => e);
      expect(err).toBeInstanceOf(RetryBudgetExceededError);
      expect(err.attempts).toBe(3);
      expect(proxy.seen.filter(isWrite)).toHaveLength(3);
      expect(sleeps).toHaveLength(2);
      expect(liveWith(env, A.nationalId, 'NID-205')).toHaveLength(0);
    });

    it('dropped responses every time: unknown outcome surfaces, and the next run converges', async () => {
      plan = (r) => (isWrite(r) ? { kind: 'commit-then-drop' } : { kind: 'pass' });
      const err = await upsertTrackedEntity(client, person('NID-206', { [A.firstName]: 'A' }), { ...opts(), retry: { maxAttempts: 2 } }).catch((e) => e);
      // The first write committed; the re-search then found it unchanged.
      if (err instanceof Error) {
        expect(err).toBeInstanceOf(RetryBudgetExceededError);
        expect((err as RetryBudgetExceededError).lastError).toBeInstanceOf(TransportError);
      }
      plan = () => ({ kind: 'pass' });
      const r = await upsertTrackedEntity(client, person('NID-206', { [A.firstName]: 'A' }), opts());
      expect(r.uid).toBe(keyUid(person('NID-206')));
      expect(liveWith(env, A.nationalId, 'NID-206')).toHaveLength(1);
    });

    it('AbortSignal: an aborted upsert stops and sends nothing more', async () => {
      const ac = new AbortController();
      ac.abort(new Error('caller gave up'));
      const err = await upsertTrackedEntity(client, person('NID-207'), { ...opts(), signal: ac.signal }).catch((e) => e);
      expect(err).toBeInstanceOf(AbortedError);
      expect(proxy.seen).toHaveLength(0);
      const ac2 = new AbortController();
      plan = (r) => {
        if (isWrite(r)) ac2.abort();
        return isWrite(r) ? { kind: 'respond', status: 503, body: 'x' } : { kind: 'pass' };
      };
      const err2 = await upsertTrackedEntity(client, person('NID-208'), { ...opts(), signal: ac2.signal }).catch((e) => e);
      expect(err2).toBeInstanceOf(AbortedError);
    });
  });
}
