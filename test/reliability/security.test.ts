/**
 * Security defaults (issue item 5): loopback unless told otherwise, `--admin-token` enforced when
 * set, body size limits, and no secret (password, Basic credentials, API token, admin token) in the
 * journal, the admin API's answers, the error log or the process output.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { request as http } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMockOptions } from '../../mock-server/config.js';
import { ADMIN_API_TOKEN, createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { errorHandler } from '../../mock-server/routes/errors.js';
import { startMockServer, type RunningServer } from '../../mock-server/server.js';
import { ADMIN, BO_CLERK } from '../mock-server/helpers.js';
import { startChildServer } from './support/child-server.js';
import { createBody, TEI_PATH } from './support/people.js';

const ADMIN_TOKEN = 'adm-T0ken-n0t-in-logs';
const WRONG_PASSWORD = 'hunter2-Wrong-Passw0rd';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Every form in which the credentials used below could leak. */
const SECRETS = [
  'district',
  'District1!',
  WRONG_PASSWORD,
  ADMIN.slice('Basic '.length),
  BO_CLERK.slice('Basic '.length),
  basic('admin', WRONG_PASSWORD).slice('Basic '.length),
  ADMIN_API_TOKEN,
  ADMIN_TOKEN,
];

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function listening(opts: Parameters<typeof createMockDhis2>[0]): Promise<{ mock: MockDhis2; url: string }> {
  const mock = await createMockDhis2({ uniqueness: 'atomic', seed: 1, log: () => {}, ...opts });
  const url = await mock.listen();
  cleanup.push(() => mock.close());
  return { mock, url };
}

describe('binding (issue item 5)', () => {
  it('the default host is 127.0.0.1, for createMockDhis2 and the server entry', async () => {
    expect(parseMockOptions({}).host).toBe('127.0.0.1');
    const { mock, url } = await listening({});
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).toBe(url);
    const running: RunningServer = await startMockServer({ seed: 1, log: () => {} });
    cleanup.push(() => running.stop());
    expect((running.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(running.readyLine).toMatch(/^DHIS2 mock ready at http:\/\/127\.0\.0\.1:\d+ \(DHIS2 2\.40\)$/);
  });
});

describe('--admin-token (issue item 5)', () => {
  it.each([
    ['no Authorization header', undefined, 401],
    ['a wrong token', 'Bearer not-the-token', 401],
    ['the token with another scheme', `Basic ${ADMIN_TOKEN}`, 401],
    ['DHIS2 superuser credentials', ADMIN, 401],
    ['the token as a prefix', `Bearer ${ADMIN_TOKEN}x`, 401],
    ['the right token', `Bearer ${ADMIN_TOKEN}`, 200],
  ])('admin API with %s → %s', async (_name, auth, status) => {
    const { mock } = await listening({ adminToken: ADMIN_TOKEN });
    for (const [method, path] of [['get', '/__admin/state'], ['get', '/__admin/journal'], ['post', '/__admin/reset'], ['put', '/__admin/config']] as const) {
      const req = request(mock.app)[method](path);
      if (auth) req.set('Authorization', auth);
      const res = method === 'put' ? await req.send({ uniqueness: 'atomic' }) : await req;
      expect(res.status, `${method.toUpperCase()} ${path}`).toBe(status);
      if (status === 401) expect(res.body).toMatchObject({ status: 'ERROR', httpStatusCode: 401 });
    }
  });

  it('the admin token is no DHIS2 credential', async () => {
    const { mock } = await listening({ adminToken: ADMIN_TOKEN });
    const res = await request(mock.app).get('/api/me').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    // a Bearer header authenticates nobody: the login redirect (Http401LoginUrlAuthenticationEntryPoint)
    expect(res.status).toBe(302);
  });

  it('without --admin-token the admin API is open (loopback is the protection)', async () => {
    const { mock } = await listening({});
    expect((await request(mock.app).get('/__admin/state')).status).toBe(200);
  });
});

describe('body size limits (issue item 5)', () => {
  it.each([
    ['/api/trackedEntityInstances', 'post'],
    ['/api/tracker?async=false', 'post'],
    ['/api/trackedEntityInstances/PQfMcpmXeFE', 'put'],
    ['/__admin/config', 'put'],
  ] as const)('%s: a body over the limit → 413 WebMessage, nothing stored', async (path, method) => {
    const { mock } = await listening({ bodyLimit: '16kb' });
    const big = createBody('PQfMcpmXeFE', 'BIG-1', '+23270000000');
    big.attributes.push({ attribute: 'zDhUuAYrxNC', value: 'x'.repeat(20_000) });
    const res = await request(mock.app)[method](path).set('Authorization', ADMIN).send(big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ httpStatus: 'Payload Too Large', httpStatusCode: 413, status: 'ERROR' });
    expect(mock.admin.state()).toHaveLength(0);
  });

  it('the default limit is 10 MB: 11 MB is refused over a real socket, and the server keeps serving', async () => {
    const { mock, url } = await listening({});
    const res = await http(`${url}${TEI_PATH}`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ ...createBody(undefined, 'BIG-2', '+23270000000'), padding: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toMatchObject({ httpStatusCode: 413 });
    expect(mock.admin.state()).toHaveLength(0);
    const after = await http(`${url}/api/system/info`, { headers: { authorization: ADMIN } });
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });
});

describe('no secrets in the journal, admin answers, logs or process output (issue item 5)', () => {
  it('requests with passwords, Basic credentials, API and admin tokens leave no trace of them', async () => {
    const logged: string[] = [];
    const { mock, url } = await listening({ adminToken: ADMIN_TOKEN, log: (m) => logged.push(m) });
    const send = (path: string, authorization: string, init: { method?: string; body?: unknown } = {}) =>
      http(`${url}${path}`, {
        method: (init.method ?? 'GET') as 'GET',
        headers: { authorization, ...(init.body ? { 'content-type': 'application/json' } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
      }).then((r) => r.body.text());
    await send(TEI_PATH, ADMIN, { method: 'POST', body: createBody('Sec0000001a', 'SEC-1', '+23270000001') });
    await send(`${TEI_PATH}/Sec0000001a`, BO_CLERK);
    await send('/api/me', basic('admin', WRONG_PASSWORD));
    await send('/api/me', `ApiToken ${ADMIN_API_TOKEN}`);
    await send('/api/me', `Bearer ${ADMIN_TOKEN}`);
    // a duplicate delivery re-sends the client's headers through the emulator: still no trace
    mock.admin.faults.install({ rules: [{ kind: 'duplicate-delivery', method: 'POST', path: '/api/trackedEntityInstances' }] });
    await send(TEI_PATH, ADMIN, { method: 'POST', body: createBody('Sec0000002a', 'SEC-2', '+23270000002') });
    const journalAnswer = await send('/__admin/journal', `Bearer ${ADMIN_TOKEN}`);
    const stateAnswer = await send('/__admin/state', `Bearer ${ADMIN_TOKEN}`);

    const journal = JSON.stringify(mock.admin.journal());
    expect(journal).toContain('Sec0000002a'); // the journal did record the traffic
    for (const text of [journal, journalAnswer, stateAnswer, logged.join('\n')]) {
      for (const secret of SECRETS) expect(text.includes(secret), `"${secret}" leaked`).toBe(false);
    }
  });

  it('an unexpected error is logged with method and path only, never the request headers', async () => {
    const logged: string[] = [];
    const app = express();
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use(errorHandler((m) => logged.push(m)));
    const res = await request(app).get('/boom').set('Authorization', ADMIN).set('Cookie', `JSESSIONID=${ADMIN_TOKEN}`);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ httpStatusCode: 500, status: 'ERROR' });
    expect(JSON.stringify(res.body)).not.toMatch(/boom|\n\s+at /);
    expect(logged.join('\n')).toMatch(/GET \/boom/);
    for (const secret of SECRETS) expect(logged.join('\n')).not.toContain(secret);
  });

  it('the process prints its ready line and seed, not the admin token', async () => {
    const server = await startChildServer({ port: 0, adminToken: ADMIN_TOKEN, seed: 3 });
    const res = await http(`${server.url}/api/me`, { headers: { authorization: ADMIN } });
    await res.body.dump();
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/DHIS2 mock ready at http:\/\/127\.0\.0\.1:\d+/);
    for (const secret of SECRETS) expect(server.output()).not.toContain(secret);
  });
});
