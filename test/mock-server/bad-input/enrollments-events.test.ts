/** Bad input on the enrollment and event routes: DHIS2-shaped errors, never a crash or a partial write. */
import { describe, expect, it } from 'vitest';
import { ADMIN, emulator } from '../helpers.js';
import { enr, ev, sync, te, U, V } from '../tracker/fixtures.js';

function expectWebMessage(body: Record<string, unknown>, status: number) {
  expect(body).toMatchObject({ httpStatusCode: status, status: 'ERROR' });
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('tracker payloads with events', () => {
  it.each([
    ['events is a string', { events: 'x' }],
    ['an event is a number', { events: [1] }],
    ['dataValues is an object', { events: [{ ...ev(V.ev1), dataValues: {} }] }],
    ['a data value is a list', { events: [{ ...ev(V.ev1), dataValues: [[1]] }] }],
    ['events nested in an enrollment are a string', { enrollments: [{ ...enr(U.en1), events: 'x' }] }],
  ])('§3.1 %s → 400 mapping error, nothing stored', async (_name, body) => {
    const e = await emulator({ dhis2Version: '2.41' });
    const r = await sync(e, body);
    expect(r.status).toBe(400);
    expectWebMessage(r.body, 400);
    expect(e.mock.events.size).toBe(0);
  });

  it('§3.2 validationMode=SKIP with an event that names no enrollment: the persister fails ("Exception:…"), nothing stored', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    await sync(e, { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1)] })] });
    const r = await sync(e, { events: [ev(V.ev1)] }, 'validationMode=SKIP');
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^Exception:not-null property/) });
    expect(e.mock.events.size).toBe(0);
  });
});

describe('legacy /api/events and /api/enrollments', () => {
  it.each([
    ['/api/events', [ev(V.ev1)], /^Cannot deserialize value of type/],
    ['/api/events', { events: ['x'] }, /^Cannot deserialize value of type/],
    ['/api/events', { event: V.ev1, status: 'DONE' }, /not one of the values accepted for Enum class/],
    ['/api/events', { event: V.ev1, dataValues: {} }, /^Cannot deserialize value of type/],
    ['/api/enrollments', { enrollments: 'x' }, /^Cannot deserialize value of type/],
    ['/api/enrollments', { enrollment: U.en1, events: [7] }, /^Cannot deserialize value of type/],
  ])('§1 POST %s %j → 409 mapping error', async (path, body, message) => {
    const e = await emulator();
    const r = await e.post(path, body);
    expect(r.status).toBe(409);
    expectWebMessage(r.body, 409);
    expect(r.body.message).toMatch(message);
  });

  it('§1 malformed JSON, a missing body, a non-JSON content type', async () => {
    const e = await emulator();
    const bad = await e.raw.post('/api/events').set('Authorization', ADMIN).set('Content-Type', 'application/json').send('{"event": ');
    expect(bad.status).toBe(409);
    expectWebMessage(bad.body, 409);
    // Jackson's "No content to map due to end-of-input" has no handler in CrudControllerAdvice: 500
    const empty = await e.raw.post('/api/enrollments').set('Authorization', ADMIN).set('Content-Type', 'application/json');
    expect(empty.status).toBe(500);
    expectWebMessage(empty.body, 500);
    const text = await e.raw.post('/api/events').set('Authorization', ADMIN).set('Content-Type', 'text/plain').send('x');
    expect(text.status).toBe(415);
  });

  it('§1 bad list parameters → 409 WebMessages', async () => {
    const e = await emulator();
    expectWebMessage((await e.get('/api/events?ouMode=NOWHERE')).body, 409);
    expectWebMessage((await e.get('/api/events?status=DONE')).body, 409);
    expectWebMessage((await e.get('/api/enrollments?ou=x&programStatus=DONE')).body, 409);
    expect((await e.get('/api/events?page=abc')).status).toBe(409);
  });

  it('§1 an unauthenticated request to the new routes gets the usual 401', async () => {
    const e = await emulator();
    const r = await e.raw.get('/api/events').set('Authorization', 'Basic ' + Buffer.from('admin:wrong').toString('base64'));
    expect(r.status).toBe(401);
  });
});
