import { describe, it, expect, afterEach } from 'vitest';
import { upsertTrackedEntity } from '../../../src/upsert/upsert.js';
import { InvalidOptionsError } from '../../../src/errors.js';
import { A, type Env, hookedClient, instantEnv, liveWith, OU, person, startEnv } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function searchQueryOn(version: string, api: 'auto' | 'legacy' | 'tracker') {
  env = await startEnv(version, 'atomic');
  const client = hookedClient(env);
  try {
    const r = await upsertTrackedEntity(client, person('V-1'), { api, env: instantEnv });
    const search = client.calls.find((c) => c.method === 'GET' && /^(trackedEntityInstances|tracker\/trackedEntities)$/.test(c.path))!;
    const write = client.calls.find((c) => c.method !== 'GET')!;
    return { r, search, write };
  } finally {
    await client.close();
  }
}

describe('version boundaries', () => {
  it('2.35: auto uses the legacy API (the tracker API is a 501 stub); tracker is refused', async () => {
    const { r, search, write } = await searchQueryOn('2.35', 'auto');
    expect(r.api).toBe('legacy');
    expect(search.path).toBe('trackedEntityInstances');
    expect(search.query).toMatchObject({ ouMode: 'ACCESSIBLE', trackedEntityType: person('x').trackedEntityType, skipPaging: true });
    expect(write).toMatchObject({ method: 'POST', path: 'trackedEntityInstances', query: { strategy: 'CREATE_AND_UPDATE' } });
    await expect(upsertTrackedEntity(env!.client, person('V-2'), { api: 'tracker' })).rejects.toBeInstanceOf(InvalidOptionsError);
  });

  it('2.36: auto uses the tracker API with ouMode; legacy still available', async () => {
    const { r, search, write } = await searchQueryOn('2.36', 'auto');
    expect(r.api).toBe('tracker');
    expect(search.path).toBe('tracker/trackedEntities');
    expect(search.query).toMatchObject({ ouMode: 'ACCESSIBLE', skipPaging: true });
    expect(write).toMatchObject({ method: 'POST', path: 'tracker', query: { async: false, importStrategy: 'CREATE_AND_UPDATE' } });
    const legacy = await upsertTrackedEntity(env!.client, person('V-3'), { api: 'legacy' });
    expect(legacy.api).toBe('legacy');
  });

  it('2.40: tracker search with ouMode, response key instances', async () => {
    const { r, search } = await searchQueryOn('2.40', 'auto');
    expect(r).toMatchObject({ api: 'tracker', action: 'created' });
    expect(search.query).toMatchObject({ ouMode: 'ACCESSIBLE' });
    const again = await upsertTrackedEntity(env!.client, person('V-1'));
    expect(again.action).toBe('unchanged');
  });

  it('2.41: tracker search with orgUnitMode and paging=false, response key trackedEntities', async () => {
    const { r, search } = await searchQueryOn('2.41', 'auto');
    expect(r.api).toBe('tracker');
    expect(search.query).toMatchObject({ orgUnitMode: 'ACCESSIBLE', paging: false });
    expect(search.query).not.toHaveProperty('ouMode');
    const again = await upsertTrackedEntity(env!.client, person('V-1'));
    expect(again.action).toBe('unchanged');
  });

  it('2.42: legacy refused before any write; auto works on the tracker API', async () => {
    env = await startEnv('2.42', 'atomic');
    const client = hookedClient(env);
    try {
      await expect(upsertTrackedEntity(client, person('V-4'), { api: 'legacy' })).rejects.toBeInstanceOf(InvalidOptionsError);
      expect(client.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
      const r = await upsertTrackedEntity(client, person('V-4'));
      expect(r).toMatchObject({ api: 'tracker', action: 'created' });
    } finally {
      await client.close();
    }
  });

  it('rejects an unknown api option before sending anything', async () => {
    env = await startEnv('2.40', 'atomic');
    await expect(upsertTrackedEntity(env.client, person('V-5'), { api: 'new' as never })).rejects.toBeInstanceOf(InvalidOptionsError);
  });
});

describe('key semantics', () => {
  for (const version of ['2.35', '2.41']) {
    it(`org-unit-scoped unique keys are per org unit (${version})`, async () => {
      env = await startEnv(version, 'atomic');
      const rec = (ou: string) => ({ ...person('ignored', {}, ou), matchAttribute: A.facilityRegNo, attributes: [{ attribute: A.facilityRegNo, value: 'REG-1' }, { attribute: A.firstName, value: 'F' }] });
      const a = await upsertTrackedEntity(env.client, rec(OU.ngelehun));
      const b = await upsertTrackedEntity(env.client, rec(OU.njandama));
      expect(a.action).toBe('created');
      expect(b.action).toBe('created');
      expect(a.uid).not.toBe(b.uid);
      expect((await upsertTrackedEntity(env.client, rec(OU.ngelehun))).action).toBe('unchanged');
      expect(liveWith(env, A.facilityRegNo, 'REG-1')).toHaveLength(2);
      expect(env.mock.admin.invariants().ok).toBe(true);
    });
  }

  it('legacy: a unique key differing only in case adopts the stored entity (the server treats them as equal)', async () => {
    env = await startEnv('2.35', 'atomic');
    const first = await upsertTrackedEntity(env.client, person('abc-9', { [A.firstName]: 'A' }));
    const r = await upsertTrackedEntity(env.client, person('ABC-9', { [A.lastName]: 'B' }));
    expect(r).toMatchObject({ uid: first.uid, action: 'updated' });
    expect(env.mock.admin.state().filter((e) => !e.deleted)).toHaveLength(1);
  });

  it('values with filter separators are found (LIKE fallback on the legacy API)', async () => {
    env = await startEnv('2.35', 'atomic');
    const first = await upsertTrackedEntity(env.client, person('SL:2024,007', { [A.firstName]: 'A' }));
    const again = await upsertTrackedEntity(env.client, person('SL:2024,007', { [A.firstName]: 'A' }));
    expect(again).toMatchObject({ uid: first.uid, action: 'unchanged' });
  });
});
