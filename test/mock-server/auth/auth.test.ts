import { describe, expect, it } from 'vitest';
import { ADMIN_API_TOKEN } from '../../../mock-server/index.js';
import { v1Token } from '../../../mock-server/dhis2/api-token.js';
import { BO_CLERK, emulator } from '../helpers.js';

const unauthorized = (message: string) => ({ httpStatus: 'Unauthorized', httpStatusCode: 401, status: 'ERROR', message });

// a V1 token (d2pat_ + 32 characters + decimal CRC32 of them) that no user holds
const UNKNOWN_TOKEN = v1Token('UnknownUnknownUnknownUnknownUnkn');

describe('§5 authentication', () => {
  it.each([['2.40', '/dhis-web-commons/security/login.action'], ['2.41', '/dhis-web-login/']] as const)(
    '§5 no credentials and no XHR header on %s → 302 to the login page (an absolute URL)', async (v, login) => {
      const e = await emulator({ dhis2Version: v });
      const res = await e.raw.get('/api/me');
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(new RegExp(`^http://[^/]+${login.replace(/\./g, '\\.')}$`));
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
    ['§5 Basic without credentials', 'Basic'],
  ])('%s → 401 WebMessage "Unauthorized"', async (_name, header) => {
    const e = await emulator();
    const res = await e.get('/api/me', header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('Unauthorized'));
  });

  // Http401LoginUrlAuthenticationEntryPoint: a header that authenticates nobody is no credentials
  it.each([
    ['Bearer (JWT authentication is off by default)', '2.40', 'Bearer abc'],
    ['ApiToken before 2.37', '2.36', `ApiToken ${ADMIN_API_TOKEN}`],
    ['Digest', '2.41', 'Digest username="admin"'],
  ])('§5 %s → the login redirect', async (_name, v, header) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get('/api/me', header);
    expect(res.status).toBe(302);
  });

  it.each(['2.37', '2.41', '2.42'] as const)('§5 ApiToken works from 2.37 (%s)', async (v) => {
    const e = await emulator({ dhis2Version: v });
    const res = await e.get('/api/me', `ApiToken ${ADMIN_API_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('M5zQapPyTZI');
  });

  it('§5 the ApiToken prefix is case-insensitive', async () => {
    const e = await emulator();
    expect((await e.get('/api/me', `apitoken ${ADMIN_API_TOKEN}`)).status).toBe(200);
  });

  // ApiTokenResolver: header pattern → 401 invalidToken; token type and checksum → 400 invalidRequest
  it.each([
    ['§5 an unknown token', `ApiToken ${UNKNOWN_TOKEN}`, 401, 'The API token does not exists.'],
    ['§5 a malformed token', 'ApiToken bad token!', 401, 'Api token is malformed'],
    ['§5 two spaces after ApiToken', `ApiToken  ${ADMIN_API_TOKEN}`, 401, 'Api token is malformed'],
    ['§5 a wrong checksum', `ApiToken ${ADMIN_API_TOKEN.slice(0, -1)}9`, 400, 'Checksum validation failed for token'],
    ['§5 an unknown token type', 'ApiToken abc_def', 400, 'Could not resolve token type'],
  ])('%s → %i with WWW-Authenticate: ApiToken', async (_name, header, status, message) => {
    const e = await emulator();
    const res = await e.get('/api/me', header);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ httpStatusCode: status, status: 'ERROR', message });
    expect(res.headers['www-authenticate']).toBe('ApiToken');
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
