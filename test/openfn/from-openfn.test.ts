/**
 * fromOpenFn against a listening emulator, with OpenFn's own HTTP layer (@openfn/language-common)
 * under a stand-in of the DHIS2 adaptor 8.2.1 written from real-clients.md: configuration from the
 * harness context, UIDs from every response shape, errors as typed failures, console captured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockDhis2, DEMO_IDS, type MockDhis2, type RequestEntry } from '../../mock-server/index.js';
import { classifyError } from '../../src/harness/history.js';
import type { HarnessRecord, UpsertContext } from '../../src/harness/types.js';
import { fromOpenFn, keyUid, OpenFnHttpError, OpenFnSetupError, OpenFnTransportError, searchQueryOf, teiOf, trackedEntityOf, uidFromResponse } from '../../src/openfn/index.js';
import { execute as commonExecute, fn, http } from './openfn-packages.js';
import * as dhis2 from '../fixtures/openfn/language-dhis2-standin.mjs';

const AT = DEMO_IDS.attributes;
const OU = DEMO_IDS.orgUnits;
const record = (key: string, orgUnit: string = OU.ngelehun): HarnessRecord => ({
  trackedEntityType: DEMO_IDS.trackedEntityType,
  orgUnit,
  matchAttribute: AT.nationalId,
  attributes: [{ attribute: AT.nationalId, value: key }, { attribute: AT.firstName, value: 'Ama' }],
});

let mock: MockDhis2;
let url: string;
beforeAll(async () => {
  mock = await createMockDhis2({ dhis2Version: '2.41', uniqueness: 'atomic', seed: 11, log: () => {} });
  url = await mock.listen(0, '127.0.0.1');
});
afterAll(() => mock.close());
beforeEach(async () => {
  await mock.admin.reset();
  mock.admin.configure({ dhis2Version: '2.41' });
});

function ctx(extra: Partial<UpsertContext> = {}): UpsertContext & { logs: string[] } {
  const logs: string[] = [];
  return { baseUrl: url, username: 'admin', password: 'district', dhis2Version: '2.41', log: (l) => logs.push(l), logs, ...extra };
}
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: Error) => e);
const requests = () => mock.admin.journal({ types: ['request'] }).entries as RequestEntry[];

const legacyUpsert = fromOpenFn(dhis2.execute, (r) => dhis2.upsert('trackedEntityInstances', searchQueryOf(r), teiOf(r)));

describe('fromOpenFn with the adaptor 8.x upsert (legacy API)', () => {
  it('creates, then updates the same entity: the UID comes from the POST and then the PUT response', async () => {
    const c = ctx();
    const created = (await legacyUpsert(record('OFN-1'), c)) as { uid: string };
    expect(created.uid).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    const updated = (await legacyUpsert(record('OFN-1'), ctx())) as { uid: string };
    expect(updated.uid).toBe(created.uid);
    expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/41/trackedEntityInstances',
      'POST /api/41/trackedEntityInstances',
      'GET /api/41/trackedEntityInstances',
      `PUT /api/41/trackedEntityInstances/${created.uid}`,
    ]);
    // the adaptor's GET carries a {} JSON body (real-clients.md)
    expect(requests()[0].bodyBytes).toBe(2);
    // and its console lines went to the operation, not the terminal
    expect(c.logs).toEqual(expect.arrayContaining(['Using DHIS2 api version 41', expect.stringMatching(/^POST \/api\/41\/trackedEntityInstances - 200 in \d+ms$/)]));
  });

  it.each([
    ['auto, version unknown', { dhis2Version: undefined }, {}, 'GET /api/trackedEntityInstances'],
    ['none', {}, { apiVersion: 'none' as const }, 'GET /api/trackedEntityInstances'],
    ['pinned', {}, { apiVersion: '39' }, 'GET /api/39/trackedEntityInstances'],
  ])('apiVersion %s', async (_n, ctxExtra, options, first) => {
    const impl = fromOpenFn(dhis2.execute, (r) => dhis2.upsert('trackedEntityInstances', searchQueryOf(r), teiOf(r)), options);
    await impl(record('OFN-V'), ctx(ctxExtra));
    expect(`${requests()[0].method} ${requests()[0].path}`).toBe(first);
  });

  it('an entity registered at another org unit: the search (ou, SELECTED) misses it and DHIS2 answers the POST 409 — a definite failure', async () => {
    await legacyUpsert(record('OFN-2', OU.njandama), ctx());
    const err = await failure(legacyUpsert(record('OFN-2'), ctx()));
    expect(err).toBeInstanceOf(OpenFnHttpError);
    expect(err).toMatchObject({ code: 'OPENFN_HTTP_ERROR', status: 409, source: 'response', outcomeUnknown: false, method: 'POST' });
    expect(err.message).toMatch(/^POST \/api\/41\/trackedEntityInstances answered 409 Conflict: .*Non-unique attribute value/);
    expect(classifyError(err)).toBe('fail');
  });

  it('two matches: the adaptor refuses with its own 409 before writing — a definite failure', async () => {
    mock.admin.configure({ uniqueness: 'off' });
    try {
      await legacyUpsert(record('OFN-3'), ctx());
      await fromOpenFn(dhis2.execute, (r) => dhis2.upsert('trackedEntityInstances', { ...searchQueryOf(r), filter: [`${AT.nationalId}:EQ:nothing`] }, teiOf(r)))(record('OFN-3'), ctx());
      const err = await failure(legacyUpsert(record('OFN-3'), ctx()));
      expect(err).toMatchObject({ code: 'OPENFN_HTTP_ERROR', status: 409, source: 'adaptor', outcomeUnknown: false });
      expect(err.message).toBe('409: Upsert failed: Multiple records found for a non-unique attribute.');
    } finally {
      mock.admin.configure({ uniqueness: 'atomic' });
    }
  });

  it('on 2.42 the legacy API is gone: 404, a definite failure', async () => {
    mock.admin.configure({ dhis2Version: '2.42' });
    const err = await failure(legacyUpsert(record('OFN-4'), ctx({ dhis2Version: '2.42' })));
    expect(err).toMatchObject({ status: 404, outcomeUnknown: false });
  });
});

describe('fromOpenFn reads the UID from each response shape (real emulator answers)', () => {
  it.each(['2.36', '2.38', '2.40', '2.41'])('tracker import report on %s', async (version) => {
    mock.admin.configure({ dhis2Version: version });
    const impl = fromOpenFn(dhis2.execute, (r) => dhis2.upsert('trackedEntities', {}, trackedEntityOf(r, keyUid(r))));
    const result = (await impl(record(`OFN-T${version}`), ctx({ dhis2Version: version }))) as { uid: string };
    expect(result.uid).toBe(keyUid(record(`OFN-T${version}`)));
  });

  it.each(['2.35', '2.37', '2.39', '2.41'])('legacy POST and PUT on %s', async (version) => {
    mock.admin.configure({ dhis2Version: version });
    const first = (await legacyUpsert(record(`OFN-L${version}`), ctx({ dhis2Version: version }))) as { uid?: string };
    const second = (await legacyUpsert(record(`OFN-L${version}`), ctx({ dhis2Version: version }))) as { uid?: string };
    expect(first.uid).toBeDefined();
    expect(second.uid).toBe(first.uid);
  });

  it.each([
    ['a one-entity legacy search', { trackedEntityInstances: [{ trackedEntityInstance: 'G0wYYhBIqZs' }] }, 'G0wYYhBIqZs'],
    ['a two-entity search (no choice made)', { trackedEntityInstances: [{ trackedEntityInstance: 'G0wYYhBIqZs' }, { trackedEntityInstance: 'H0wYYhBIqZs' }] }, undefined],
    ['a one-entity tracker search (2.41)', { trackedEntities: [{ trackedEntity: 'G0wYYhBIqZs' }] }, 'G0wYYhBIqZs'],
    ['a one-entity tracker search (2.36–2.40)', { instances: [{ trackedEntity: 'G0wYYhBIqZs' }] }, 'G0wYYhBIqZs'],
    ['an unwrapped ImportSummaries', { importSummaries: [{ reference: 'G0wYYhBIqZs' }] }, 'G0wYYhBIqZs'],
    ['a job returning { uid }', { uid: 'G0wYYhBIqZs' }, 'G0wYYhBIqZs'],
    ['a value that is not a UID', { uid: 'not a uid' }, undefined],
    ['nothing', null, undefined],
  ])('%s', (_n, data, uid) => {
    expect(uidFromResponse(data)).toBe(uid);
  });

  it('no UID: the result says so in the log instead of inventing one', async () => {
    const c = ctx();
    const result = await fromOpenFn(commonExecute, () => fn((s) => ({ ...s, data: { done: true } })))(record('X'), c);
    expect(result).toEqual({ data: { done: true } });
    expect(c.logs.at(-1)).toMatch(/carries no tracked entity UID/);
  });
});

describe('fromOpenFn turns errors into typed failures', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url!.includes('unavailable')) return res.writeHead(503, { 'content-type': 'application/json' }).end('{"httpStatusCode":503,"message":"down for maintenance"}');
      req.socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ['a 5xx answer', '/unavailable', 'OPENFN_HTTP_ERROR', /answered 503.*down for maintenance/],
    ['a dropped connection', '/drop', 'OPENFN_TRANSPORT_ERROR', /^The connection to DHIS2 failed: /],
  ])('%s: outcome unknown', async (_n, path, code, message) => {
    const impl = fromOpenFn(http.execute, () => http.get(path));
    const err = await failure(impl(record('E'), ctx({ baseUrl: base })));
    expect(err).toMatchObject({ code, outcomeUnknown: true });
    expect(err.message).toMatch(message);
    expect(classifyError(err)).toBe('unknown');
    if (code === 'OPENFN_TRANSPORT_ERROR') expect(err).toBeInstanceOf(OpenFnTransportError);
  });

  it('a job bug is an OPENFN_JOB_ERROR with the original as cause (outcome unknown)', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'length')");
    const err = await failure(fromOpenFn(commonExecute, () => fn(() => { throw bug; }))(record('E'), ctx()));
    expect(err).toMatchObject({ code: 'OPENFN_JOB_ERROR', outcomeUnknown: true, cause: bug });
  });

  it('an error that already says what happened passes through', async () => {
    const own = Object.assign(new Error('nothing written'), { outcomeUnknown: false });
    expect(await failure(fromOpenFn(commonExecute, () => fn(() => { throw own; }))(record('E'), ctx()))).toBe(own);
  });

  it('language-http against the emulator: a 409 tracker answer carries DHIS2\'s error report', async () => {
    await legacyUpsert(record('OFN-5', OU.njandama), ctx());
    const impl = fromOpenFn(http.execute, (r) => http.post('/api/tracker', { trackedEntities: [trackedEntityOf(r)] }, { query: { async: false } }));
    const err = await failure(impl(record('OFN-5'), ctx()));
    expect(err).toMatchObject({ status: 409, outcomeUnknown: false });
    expect(err.message).toMatch(/E1064/);
  });
});

describe('fromOpenFn checks its arguments', () => {
  it.each([
    ['no execute', () => fromOpenFn(undefined as never, () => fn((s) => s))],
    ['no build', () => fromOpenFn(commonExecute, undefined as never)],
    ['an unknown option', () => fromOpenFn(commonExecute, () => fn((s) => s), { verbose: true } as never)],
    ['a bad apiVersion', () => fromOpenFn(commonExecute, () => fn((s) => s), { apiVersion: 'v41' })],
  ])('%s → OpenFnSetupError', (_n, make) => {
    expect(make).toThrow(OpenFnSetupError);
  });

  it('build returning something that is not an operation fails the operation with a setup error', async () => {
    const err = await failure(fromOpenFn(commonExecute, () => ({ not: 'an operation' }) as never)(record('E'), ctx()));
    expect(err).toBeInstanceOf(OpenFnSetupError);
  });
});
