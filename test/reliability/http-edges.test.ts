/**
 * HTTP edge cases Node answers before express sees the request (issue 15, item 7): an HTTP/1.1
 * request without `Host` got a bare 400 with an empty chunked body, `CONNECT` closed the socket
 * unanswered, and `system/info` said `contextPath: "http://undefined"` for an HTTP/1.0 request
 * without `Host`. Every answer is now a DHIS2 WebMessage with a length, and the context path falls
 * back to the address the request came in on. Both ways of listening (createMockDhis2's `listen`
 * and the process entry's `startMockServer`) share one HTTP server, so both are checked.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { startMockServer, type RunningServer } from '../../mock-server/server.js';
import { ADMIN } from '../mock-server/helpers.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `raw` on a fresh connection and reads until the server closes it. */
function exchange(url: string, raw: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

function expectWebMessage(answer: RawAnswer, status: number, message: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['transfer-encoding']).toBeUndefined();
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  const body = JSON.parse(answer.body) as { httpStatusCode: number; status: string; message: string };
  expect(body).toMatchObject({ httpStatusCode: status, status: 'ERROR' });
  expect(body.message).toMatch(message);
}

const auth = `Authorization: ${ADMIN}\r\n`;
let mock: MockDhis2;
let running: RunningServer;
const servers: [string, () => string][] = [
  ['createMockDhis2().listen()', () => mock.url],
  ['startMockServer()', () => running.url],
];

beforeAll(async () => {
  mock = await createMockDhis2({ seed: 1, log: () => {} });
  await mock.listen();
  running = await startMockServer({ seed: 1, log: () => {} });
});
afterAll(async () => {
  await mock.close();
  await running.stop();
});

describe.each(servers)('HTTP edge cases on %s (item 7)', (_name, url) => {
  it('HTTP/1.1 without Host: a 400 WebMessage with a length, then the connection closes', async () => {
    const answer = await exchange(url(), `GET /api/system/info HTTP/1.1\r\n${auth}\r\n`);
    expectWebMessage(answer, 400, /Host/);
    expect(answer.headers.connection).toBe('close');
  });

  it('CONNECT is answered (405 WebMessage), not dropped', async () => {
    const answer = await exchange(url(), 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n');
    expectWebMessage(answer, 405, /CONNECT/);
  });

  it('a request Node cannot parse is still a 400 WebMessage', async () => {
    expectWebMessage(await exchange(url(), 'GET /api/me HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'), 400, /HTTP/);
  });

  it.each([
    ['HTTP/1.0 without Host', `GET /api/system/info HTTP/1.0\r\n${auth}\r\n`],
    ['HTTP/1.1 with an empty Host (allowed by RFC 9112 §3.2)', `GET /api/system/info HTTP/1.1\r\nHost:\r\n${auth}Connection: close\r\n\r\n`],
  ])('system/info for %s: contextPath is the address the request came in on, never "undefined"', async (_case, raw) => {
    const answer = await exchange(url(), raw);
    expect(answer.status, answer.body).toBe(200);
    const info = JSON.parse(answer.body) as { contextPath: string; instanceBaseUrl: string };
    expect(info.contextPath).toBe(url());
    expect(info.instanceBaseUrl).toBe(url());
  });

  // DHIS2's ContextUtils.getContextPath (webapi/utils/ContextUtils.java, 2.35-2.42): no port for 80/443, X-Forwarded-Proto/-Port win
  it.each([
    ['Host: dhis2.example.org:8443', 'http://dhis2.example.org:8443'],
    ['Host: dhis2.example.org', 'http://dhis2.example.org'],
    ['Host: dhis2.example.org:80', 'http://dhis2.example.org'],
    ['Host: dhis2.example.org\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443', 'https://dhis2.example.org'],
    ['Host: dhis2.example.org:8080\r\nX-Forwarded-Proto: https', 'https://dhis2.example.org:8080'],
    ['Host: dhis2.example.org\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 9x', 'http://dhis2.example.org'],
    ['Host: a b', null],
  ])('system/info with %j: contextPath %s', async (headers, expected) => {
    const answer = await exchange(url(), `GET /api/system/info HTTP/1.1\r\n${headers}\r\n${auth}Connection: close\r\n\r\n`);
    expect(answer.status, answer.body).toBe(200);
    // an unusable Host falls back to the address the request came in on
    expect(JSON.parse(answer.body)).toMatchObject({ contextPath: expected ?? url() });
  });
});
