import { describe, expect, it } from 'vitest';
import { MAX_UNHANDLED_KINDS, UnhandledLog } from '../../../mock-server/unhandled.js';
import { emulator } from '../helpers.js';

type Unhandled = { method: string; path: string; count: number; status: number; requestIds: string[] };

async function unhandledOf(e: Awaited<ReturnType<typeof emulator>>): Promise<Unhandled[]> {
  const res = await e.raw.get('/__admin/unhandled');
  expect(res.status).toBe(200);
  return res.body.requests;
}

describe('GET /__admin/unhandled (interfaces.md: requests answered "no handler" since the last reset)', () => {
  it.each([
    // language-dhis2 2.0.11 reads the resource list before every upsert (real-clients.md)
    ['GET /api/dataStore/sync/cursor', 'get', '/api/dataStore/sync/cursor', '2.40', 'GET', '/api/dataStore/sync/cursor'],
    ['a versioned path keeps the path the client sent', 'get', '/api/41/dataStore/sync/cursor?fields=*', '2.41', 'GET', '/api/41/dataStore/sync/cursor'],
    ['an unknown write', 'post', '/api/nothingHere', '2.40', 'POST', '/api/nothingHere'],
    ['a path outside /api', 'get', '/dhis-web-commons/security/login.action', '2.40', 'GET', '/dhis-web-commons/security/login.action'],
    ['a deeper path under a known collection', 'get', '/api/trackedEntityInstances/a/b/c', '2.40', 'GET', '/api/trackedEntityInstances/a/b/c'],
  ])('collects %s', async (_n, method, url, version, m, path) => {
    const e = await emulator({ dhis2Version: version });
    const res = method === 'get' ? await e.get(url) : await e.post(url, {});
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ httpStatusCode: 404, status: 'ERROR' });
    expect(res.body.message).toMatch(/^No handler found for /);
    const list = await unhandledOf(e);
    expect(list).toEqual([expect.objectContaining({ method: m, path, count: 1, status: 404, requestIds: [res.headers['x-request-id']] })]);
  });

  it.each([
    ['a handled read', '/api/me', '2.40', 200],
    // faithful answers of a version, not gaps of the emulator: 2.42 removed the legacy API, 2.35 has no tracker
    ['the legacy API on 2.42 (removed in DHIS2)', '/api/trackedEntityInstances?ou=x', '2.42', 404],
    ['the tracker API on 2.35 (a stub in DHIS2)', '/api/tracker/trackedEntities', '2.35', 404],
    ['an unknown metadata object (a DHIS2 404, not a missing handler)', '/api/trackedEntityTypes/nOsuchUid01', '2.40', 404],
  ])('does not collect %s', async (_n, url, version, status) => {
    const e = await emulator({ dhis2Version: version });
    expect((await e.get(url)).status).toBe(status);
    expect(await unhandledOf(e)).toEqual([]);
  });

  it('groups by method and path, counts, and is cleared by reset', async () => {
    const e = await emulator();
    await e.get('/api/dataStore/sync/cursor');
    await e.get('/api/dataStore/sync/cursor?paging=false');
    await e.post('/api/dataStore/sync/cursor', {});
    const list = await unhandledOf(e);
    expect(list.map((u) => [u.method, u.path, u.count])).toEqual([
      ['GET', '/api/dataStore/sync/cursor', 2],
      ['POST', '/api/dataStore/sync/cursor', 1],
    ]);
    expect(e.mock.admin.unhandled()).toEqual(list);
    await e.raw.post('/__admin/reset');
    expect(await unhandledOf(e)).toEqual([]);
    expect(e.mock.admin.unhandled()).toEqual([]);
  });

  it('marks the request in the journal', async () => {
    const e = await emulator();
    const missing = await e.get('/api/dataStore/sync/cursor');
    await e.get('/api/me');
    const requests = (await e.raw.get('/__admin/journal?type=request')).body.entries as { requestId: string; unhandled?: boolean }[];
    expect(requests.filter((r) => r.unhandled).map((r) => r.requestId)).toEqual([missing.headers['x-request-id']]);
  });

  it('is behind --admin-token like the rest of the admin API', async () => {
    const e = await emulator({ adminToken: 's3cret' });
    expect((await e.raw.get('/__admin/unhandled')).status).toBe(401);
    expect((await e.raw.get('/__admin/unhandled').set('Authorization', 'Bearer s3cret')).status).toBe(200);
  });

  it('an unauthenticated request is refused first, as DHIS2 does, and not listed', async () => {
    const e = await emulator();
    expect([302, 401]).toContain((await e.raw.get('/api/dataStore/sync/cursor')).status);
    expect(await unhandledOf(e)).toEqual([]);
  });
});

describe('UnhandledLog stays bounded', () => {
  it(`keeps ${MAX_UNHANDLED_KINDS} kinds and counts the rest as dropped; keeps 20 request ids per kind`, () => {
    const log = new UnhandledLog(() => 1);
    for (let i = 0; i < MAX_UNHANDLED_KINDS + 5; i++) log.record({ method: 'GET', path: `/api/x${i}`, status: 404, requestId: `r${i}` });
    for (let i = 0; i < 30; i++) log.record({ method: 'GET', path: '/api/x0', status: 404, requestId: `again${i}` });
    expect(log.list()).toHaveLength(MAX_UNHANDLED_KINDS);
    expect(log.dropped).toBe(5);
    expect(log.list()[0]).toMatchObject({ count: 31 });
    expect(log.list()[0].requestIds).toHaveLength(20);
  });
});
