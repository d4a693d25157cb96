import { describe, expect, it } from 'vitest';
import { ADMIN, emulator } from '../helpers.js';
import { person, TEI_PATH, TET } from '../legacy/support.js';

/** Every error body is a DHIS2 WebMessage without a stack trace. */
function expectWebMessage(body: Record<string, unknown>, status: number) {
  expect(body).toMatchObject({ httpStatusCode: status, status: 'ERROR' });
  expect(typeof body.httpStatus).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('§1 bad input never crashes and gets a WebMessage', () => {
  it('§1 malformed JSON on the legacy POST → 409 WebMessage', async () => {
    const e = await emulator();
    const res = await e.raw.post(TEI_PATH).set('Authorization', ADMIN).set('Content-Type', 'application/json').send('{"trackedEntityType": ');
    expect(res.status).toBe(409);
    expectWebMessage(res.body, 409);
  });

  it.each([
    ['§1 attributes is not a list', person({ attributes: 'x' })],
    ['§1 the body is a JSON array', [person()]],
    ['§1 trackedEntityInstances holds a string', { trackedEntityInstances: ['x'] }],
    ['§1 an attribute entry is a number', person({ attributes: [1] })],
    ['§1 orgUnit is an object', person({ orgUnit: { id: 'x' } })],
    // Jackson's JsonMappingException has no handler in CrudControllerAdvice (2.37, 2.39, 2.43):
    // the default handler answers 500 with the mapping message (mock-server/routes/body-errors.ts)
  ])('%s → 500 mapping error, nothing stored', async (_name, body) => {
    const e = await emulator();
    const res = await e.post(TEI_PATH, body);
    expect(res.status).toBe(500);
    expectWebMessage(res.body, 500);
    expect(res.body.message).toMatch(/^Cannot deserialize value of type/);
    expect(e.mock.admin.state()).toHaveLength(0);
  });

  it('§1 a JSON body above the limit → 413 WebMessage', async () => {
    const e = await emulator({ bodyLimit: '1kb' });
    const res = await e.post(TEI_PATH, person({}, { zDhUuAYrxNC: 'x'.repeat(4000) }));
    expect(res.status).toBe(413);
    expectWebMessage(res.body, 413);
  });

  it('§1 an empty JSON body → 500 "No content to map due to end-of-input", nothing stored', async () => {
    const e = await emulator();
    const res = await e.raw.post(TEI_PATH).set('Authorization', ADMIN).set('Content-Type', 'application/json');
    expect(res.status).toBe(500);
    expectWebMessage(res.body, 500);
    expect(res.body.message).toBe('No content to map due to end-of-input');
  });

  it.each([['2.40', "Content type 'text/plain' not supported"], ['2.41', "Content type 'text/plain' not supported"]] as const)(
    '§1 a non-JSON content type on %s → 415', async (v, message) => {
      const e = await emulator({ dhis2Version: v });
      const res = await e.raw.post(TEI_PATH).set('Authorization', ADMIN).set('Content-Type', 'text/plain').send('hello');
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ httpStatus: 'Unsupported Media Type', httpStatusCode: 415, status: 'ERROR', message });
    });

  it.each(['/api/nothingHere', '/api/40/nothingHere', '/nothing'])('§1 unknown route %s → 404 WebMessage', async (path) => {
    const e = await emulator();
    const res = await e.get(path);
    expect(res.status).toBe(404);
    expectWebMessage(res.body, 404);
  });

  it.each([
    ['PATCH', TEI_PATH, "Request method 'PATCH' not supported"],
    ['DELETE', TEI_PATH, "Request method 'DELETE' not supported"],
    ['POST', `${TEI_PATH}/Abcdefghij1`, "Request method 'POST' not supported"],
    ['POST', '/api/organisationUnits', "Request method 'POST' not supported"],
  ])('§1 %s %s → 405 with Allow', async (method, path, message) => {
    const e = await emulator();
    const res = await e.raw[method.toLowerCase() as 'patch'](path).set('Authorization', ADMIN).send({});
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ httpStatus: 'Method Not Allowed', httpStatusCode: 405, status: 'ERROR', message });
    expect(res.headers.allow).toBeDefined();
  });

  it('§1 2.42 (Spring 6) words the 405 "is not supported"', async () => {
    const e = await emulator({ dhis2Version: '2.42' });
    const res = await e.raw.patch('/api/programs').set('Authorization', ADMIN).send({});
    expect(res.body.message).toBe("Request method 'PATCH' is not supported");
  });

  it.each([
    ['§2.2 page=abc', `${TEI_PATH}?trackedEntityType=${TET}&ouMode=ALL&page=abc`, 409],
    ['§2.2 an unknown ouMode', `${TEI_PATH}?trackedEntityType=${TET}&ouMode=SOMEWHERE`, 409],
    ['§2.2 a 9,000-character filter', `${TEI_PATH}?trackedEntityType=${TET}&ouMode=ALL&filter=${'a'.repeat(9000)}:EQ:x`, 409],
    ['§5 unbalanced fields brackets on metadata', '/api/programs?fields=id,programTrackedEntityAttributes[id', 409],
  ])('%s → a WebMessage error, not a crash', async (_name, path, status) => {
    const e = await emulator();
    const res = await e.get(path);
    expect(res.status).toBe(status);
    expectWebMessage(res.body, status);
  });
});

describe('§1/§2.1 paths and versions', () => {
  it.each(['/api/40/trackedEntityInstances.json', '/api/trackedEntityInstances.json', '/api/33/trackedEntityInstances'])(
    '§1 %s reaches the legacy list', async (path) => {
      const e = await emulator();
      const res = await e.get(`${path}?trackedEntityType=${TET}&ouMode=ALL`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ trackedEntityInstances: [] });
    });

  it('§1 /api/NN/…/{uid}.json reaches the single GET', async () => {
    const e = await emulator();
    const uid = (await e.post(TEI_PATH, person())).body.response.importSummaries[0].reference;
    expect((await e.get(`/api/39/trackedEntityInstances/${uid}.json`)).body.trackedEntityInstance).toBe(uid);
  });

  it.each(['GET', 'POST'])('§2.1 2.42 removed the legacy endpoint: %s → 404', async (method) => {
    const e = await emulator({ dhis2Version: '2.42' });
    const res = method === 'GET' ? await e.get(`${TEI_PATH}?trackedEntityType=${TET}`) : await e.post(TEI_PATH, person());
    expect(res.status).toBe(404);
    expectWebMessage(res.body, 404);
    expect(e.mock.admin.state()).toHaveLength(0);
  });
});
