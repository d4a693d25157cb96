import { describe, it, expect, afterEach } from 'vitest';
import { Dhis2Client } from '../../../src/client/dhis2-client.js';
import {
  AbortedError,
  Dhis2ConflictError,
  HttpError,
  InvalidOptionsError,
  TransportError,
  ValidationError,
} from '../../../src/errors.js';
import { json, startStub, type StubServer } from './stub-server.js';

let stub: StubServer | undefined;
let client: Dhis2Client | undefined;
afterEach(async () => {
  await client?.close();
  await stub?.close();
  client = undefined;
  stub = undefined;
});

async function setup(handler: Parameters<typeof startStub>[0], opts: Partial<ConstructorParameters<typeof Dhis2Client>[0]> = {}) {
  stub = await startStub(handler);
  client = new Dhis2Client({ baseUrl: stub.url, auth: { username: 'admin', password: 'district' }, ...opts });
  return { stub, client };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('Dhis2Client requests', () => {
  it('sends Basic auth, resolves paths under /api and parses JSON', async () => {
    const { stub, client } = await setup((req, res) => json(res, 200, { ok: true, url: req.url }));
    const res = await client.get('trackedEntityInstances', { ouMode: 'ACCESSIBLE', filter: ['a:EQ:1', 'b:EQ:x y'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, url: '/api/trackedEntityInstances?ouMode=ACCESSIBLE&filter=a%3AEQ%3A1&filter=b%3AEQ%3Ax%20y' });
    expect(stub.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('admin:district').toString('base64')}`);
    expect(client.requestCount).toBe(1);
  });

  it('sends ApiToken auth and honours a context path and API version in the base URL', async () => {
    stub = await startStub((req, res) => json(res, 200, { url: req.url }));
    client = new Dhis2Client({ baseUrl: `${stub.url}/dhis/api/40/`, auth: { token: 'd2pat_abc' } });
    const res = await client.post<{ url: string }>('/tracker', { trackedEntities: [] }, { async: false });
    expect(res.body.url).toBe('/dhis/api/40/tracker?async=false');
    expect(stub.requests[0].headers.authorization).toBe('ApiToken d2pat_abc');
    expect(stub.requests[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(stub.requests[0].body)).toEqual({ trackedEntities: [] });
    const sys = await client.get<{ url: string }>('/api/system/info');
    expect(sys.body.url).toBe('/dhis/api/system/info');
  });

  it('returns text bodies as text', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello');
    });
    expect((await client.get('x')).body).toBe('hello');
  });

  it('classifies a legacy 409 import summary as Dhis2ConflictError with conflicts', async () => {
    const body = {
      httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message: 'An error occurred, please check import summary.',
      response: { responseType: 'ImportSummaries', status: 'ERROR', imported: 0, updated: 0, deleted: 0, ignored: 1, total: 1,
        importSummaries: [{ responseType: 'ImportSummary', status: 'ERROR', importCount: { imported: 0, updated: 0, ignored: 1, deleted: 0 },
          conflicts: [{ object: 'Attribute.value', value: "Non-unique attribute value 'ABC' for attribute lZGmxYbs97q" }], reference: 'Qv1lzYmU2d4' }] },
    };
    const { client } = await setup((_req, res) => json(res, 409, body));
    const err = await caught(client.post('trackedEntityInstances', {}));
    expect(err).toBeInstanceOf(Dhis2ConflictError);
    const c = err as Dhis2ConflictError;
    expect(c.code).toBe('CONFLICT');
    expect(c.status).toBe(409);
    expect(c.isNonUnique()).toBe(true);
    expect(c.outcomeUnknown).toBe(false);
    expect(c.body).toEqual(body);
    expect(c.conflicts[0]).toEqual({ object: 'Attribute.value', value: "Non-unique attribute value 'ABC' for attribute lZGmxYbs97q" });
  });

  it('classifies a tracker E1064 report as a non-unique conflict', async () => {
    const body = { status: 'ERROR', validationReport: { errorReports: [{ message: 'Non-unique attribute value `A` for attribute `B`', errorCode: 'E1064', trackerType: 'TRACKED_ENTITY', uid: 'Qv1lzYmU2d4' }], warningReports: [] }, stats: { created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 } };
    const { client } = await setup((_req, res) => json(res, 409, body));
    const err = (await caught(client.post('tracker', {}))) as Dhis2ConflictError;
    expect(err).toBeInstanceOf(Dhis2ConflictError);
    expect(err.conflicts).toEqual([{ object: 'Qv1lzYmU2d4', value: 'Non-unique attribute value `A` for attribute `B`', errorCode: 'E1064' }]);
    expect(err.isNonUnique()).toBe(true);
  });

  it('classifies a 409 query error and a 400 as ValidationError', async () => {
    const { client, stub } = await setup((_req, res) => json(res, 409, { httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message: 'At least one organisation unit must be specified' }));
    const err = (await caught(client.get('trackedEntityInstances'))) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('At least one organisation unit must be specified');
    stub.setHandler((_req, res) => json(res, 400, { httpStatus: 'Bad Request', httpStatusCode: 400, status: 'ERROR', message: 'bad', errorCode: 'E1003' }));
    expect(await caught(client.get('tracker/trackedEntities'))).toBeInstanceOf(ValidationError);
  });

  it('handles an HTML 502 from a proxy: text body, outcome unknown only for writes', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const post = (await caught(client.post('trackedEntityInstances', {}))) as HttpError;
    expect(post).toBeInstanceOf(HttpError);
    expect(post.code).toBe('HTTP_ERROR');
    expect(post.status).toBe(502);
    expect(post.body).toContain('502 Bad Gateway');
    expect(post.outcomeUnknown).toBe(true);
    const get = (await caught(client.get('trackedEntityInstances'))) as HttpError;
    expect(get.outcomeUnknown).toBe(false);
  });

  it('exposes Retry-After on 429 and 503', async () => {
    const { client } = await setup((_req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '3' }));
    const err = (await caught(client.get('x'))) as HttpError;
    expect(err.status).toBe(429);
    expect(err.retryAfterMs()).toBe(3000);
    expect(err.outcomeUnknown).toBe(false);
  });

  it('a socket destroyed before the response is an unknown-outcome TransportError', async () => {
    const { client } = await setup((_req, res) => {
      res.socket?.destroy();
    });
    const err = (await caught(client.post('trackedEntityInstances', { a: 1 }))) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('TRANSPORT');
    expect(err.phase).toBe('send');
    expect(err.outcomeUnknown).toBe(true);
  });

  it('a socket destroyed mid-body is a TransportError in phase response', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setImmediate(() => res.socket?.destroy());
    });
    const err = (await caught(client.post('trackedEntityInstances', {}))) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.phase).toBe('response');
    expect(err.outcomeUnknown).toBe(true);
  });

  it('slow headers time out as an unknown-outcome TransportError', async () => {
    const { client } = await setup(() => {
      /* never answers */
    }, { timeouts: { headers: 150 } });
    const err = (await caught(client.post('trackedEntityInstances', {}))) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.causeCode).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(err.phase).toBe('response');
    expect(err.outcomeUnknown).toBe(true);
  });

  it('a refused connection is a TransportError in phase connect, outcome known', async () => {
    const s = await startStub((_req, res) => json(res, 200, {}));
    const url = s.url;
    await s.close();
    client = new Dhis2Client({ baseUrl: url, auth: { username: 'a', password: 'b' } });
    const err = (await caught(client.post('trackedEntityInstances', {}))) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.phase).toBe('connect');
    expect(err.causeCode).toBe('ECONNREFUSED');
    expect(err.outcomeUnknown).toBe(false);
  });

  it('supports AbortSignal per request', async () => {
    const { client } = await setup(() => {
      /* never answers */
    });
    const ac = new AbortController();
    const p = caught(client.post('trackedEntityInstances', {}, undefined, { signal: ac.signal }));
    setTimeout(() => ac.abort(new Error('stop')), 20);
    const err = (await p) as AbortedError;
    expect(err).toBeInstanceOf(AbortedError);
    expect(err.code).toBe('ABORTED');
    expect(err.outcomeUnknown).toBe(true);
    const pre = new AbortController();
    pre.abort();
    const err2 = (await caught(client.get('x', undefined, { signal: pre.signal }))) as AbortedError;
    expect(err2).toBeInstanceOf(AbortedError);
    expect(err2.outcomeUnknown).toBe(false);
  });
});

describe('Dhis2Client.detectVersion', () => {
  it('parses and caches /api/system/info', async () => {
    const { client, stub } = await setup((req, res) => json(res, 200, { version: '2.40.12', revision: 'abc' }));
    const v = await client.detectVersion();
    expect(v).toEqual({ minor: 40, patch: 12, raw: '2.40.12', snapshot: false });
    await client.detectVersion();
    expect(stub.requests.filter((r) => r.url === '/api/system/info')).toHaveLength(1);
  });

  it('handles snapshots and retries a failed detection', async () => {
    let fail = true;
    const { client } = await setup((_req, res) => (fail ? json(res, 500, { message: 'starting' }) : json(res, 200, { version: '2.41-SNAPSHOT' })));
    await expect(client.detectVersion()).rejects.toBeInstanceOf(HttpError);
    fail = false;
    expect(await client.detectVersion()).toEqual({ minor: 41, patch: 0, raw: '2.41-SNAPSHOT', snapshot: true });
  });

  it('uses options.version without a request', async () => {
    const { client, stub } = await setup((_req, res) => json(res, 500, {}), { version: '2.39.5' });
    expect(await client.detectVersion()).toMatchObject({ minor: 39, patch: 5 });
    expect(stub.requests).toHaveLength(0);
  });
});

describe('Dhis2Client options', () => {
  it('rejects bad base URLs and auth at construction', () => {
    expect(() => new Dhis2Client({ baseUrl: 'not a url', auth: { username: 'a', password: 'b' } })).toThrow(InvalidOptionsError);
    expect(() => new Dhis2Client({ baseUrl: 'ftp://x', auth: { username: 'a', password: 'b' } })).toThrow(InvalidOptionsError);
    expect(() => new Dhis2Client({ baseUrl: 'http://x', auth: { token: '' } })).toThrow(InvalidOptionsError);
  });
});
