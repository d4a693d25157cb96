import { describe, expect, it } from 'vitest';
import { ADMIN_API_TOKEN } from '../../../mock-server/index.js';
import { BO_CLERK, emulator } from '../helpers.js';

const unauthorized = (message: string) => ({ httpStatus: 'Unauthorized', httpStatusCode: 401, status: 'ERROR', message });

describe('§5 authentication', () => {
  it.each([['2.40', '/dhis-web-commons/security/login.action'], ['2.41', '/dhis-web-login/']] as const)(
    '§5 no credentials and no XHR header on %s → 302 to the login page', async (v, login) => {
      const e = await emulator({ dhis2Version: v });
      const res = await e.raw.get('/api/me');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(login);
    });

  it('§5 no credentials with X-Requested-With: XMLHttpRequest → 401 JSON', async () => {
    const e = await emulator();
    const res = await e.raw.get('/api/me').set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('Unauthorized'));
  });

  it.each([
    ['§5 wrong password', 'Basic ' + Buffer.from('admin:wrong').toString('base64')],
    ['§5 unknown user', 'Basic ' + Buffer.from('nobody:district').toString('base64')],
    ['§5 Basic without a colon', 'Basic ' + Buffer.from('admin').toString('base64')],
    ['§5 an unsupported scheme', 'Bearer abc'],
  ])('%s → 401 WebMessage "Unauthorized"', async (_name, header) => {
    const e = await emulator();
    const res = await e.get('/api/me', header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('Unauthorized'));
  });

  it.each(['2.36', '2.37', '2.41'] as const)('§5 ApiToken works from 2.37 (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get('/api/me', `ApiToken ${ADMIN_API_TOKEN}`);
    expect(res.status).toBe(v === '2.36' ? 401 : 200);
    if (v !== '2.36') expect(res.body.id).toBe('M5zQapPyTZI');
  });

  it('§5 the ApiToken prefix is case-insensitive', async () => {
    const e = await emulator();
    expect((await e.get('/api/me', `apitoken ${ADMIN_API_TOKEN}`)).status).toBe(200);
  });

  it.each([
    ['§5 an unknown token', 'ApiToken d2pat_unknownunknownunknownunknownunk1234567890', 'The API token does not exists.'],
    ['§5 a malformed token', 'ApiToken bad token!', 'Api token is malformed'],
  ])('%s → 401 with WWW-Authenticate', async (_name, header, message) => {
    const e = await emulator();
    const res = await e.get('/api/me', header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized(message));
    expect(res.headers['www-authenticate']).toMatch(/^ApiToken /);
  });
});

describe('§5 /api/me and /api/system', () => {
  it.each(['2.37', '2.38'] as const)('§5 /api/me: username top-level from 2.38, under userCredentials always (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const me = (await e.get('/api/me', BO_CLERK)).body;
    expect(me.userCredentials.username).toBe('bo_clerk');
    expect(me.username).toBe(v === '2.38' ? 'bo_clerk' : undefined);
    expect(me.organisationUnits).toEqual([{ id: 'O6uvpzGd5pu' }]);
    expect(me.teiSearchOrganisationUnits).toEqual([{ id: 'O6uvpzGd5pu' }]);
    expect(me.authorities).toEqual(['F_TRACKED_ENTITY_INSTANCE_ADD', 'F_TRACKED_ENTITY_INSTANCE_SEARCH']);
  });

  it.each([['2.35', '2.35.14'], ['2.40', '2.40.12'], ['2.39.5', '2.39.5'], ['2.42', '2.42.5']] as const)(
    '§5 /api/system/info version for --dhis2-version %s is %s', async (v, full) => {
      const e = await emulator({ dhis2Version: v });
      const info = (await e.get('/api/system/info')).body;
      expect(info.version).toBe(full);
      expect(info.serverDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    });

  it('§5 /api/system/info hides the sensitive fields from a non-superuser', async () => {
    const e = await emulator();
    expect((await e.get('/api/system/info')).body.javaVersion).toBeDefined();
    expect((await e.get('/api/system/info', BO_CLERK)).body.javaVersion).toBeUndefined();
  });

  it('§4 /api/system/id?limit=3 → three UIDs, no-store; the alias /uid works', async () => {
    const e = await emulator();
    const res = await e.get('/api/system/id?limit=3');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.codes).toHaveLength(3);
    for (const c of res.body.codes) expect(c).toMatch(/^[a-zA-Z][a-zA-Z0-9]{10}$/);
    expect((await e.get('/api/system/uid')).body.codes).toHaveLength(1);
    expect((await e.get('/api/system/id?limit=20000')).body.codes).toHaveLength(10000);
  });
});
