/**
 * Hostile input (issue item 2): fast-check sends 10,000 generated requests to the emulator on a
 * loopback port — random methods and paths under /api, odd query strings and filters, malformed
 * and deeply nested JSON, wrong types, huge values, unicode, `__proto__`/`constructor` keys,
 * oversized bodies — across DHIS2 versions. Every answer must be a 2xx, a 302 login redirect or a
 * DHIS2-shaped error (JSON with httpStatus, httpStatusCode = the HTTP status, status, message);
 * no 5xx (no fault plan is installed), no stack trace, no crash, no prototype pollution, and
 * every request answered within a generous bound (parsing never hangs).
 */
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type RunningServer } from '../../mock-server/server.js';
import { ADMIN } from '../mock-server/helpers.js';
import { FC_SEED } from './support/seed.js';
import { fuzzRequest, type FuzzRequest } from './support/fuzz-arbitraries.js';

const VERSIONS = ['2.35', '2.38', '2.40', '2.41', '2.42'] as const;
const BATCH = 10;
const RUNS_PER_VERSION = 200; // 5 versions × 200 runs × 10 requests = 10,000 requests
/** a hang detector, not a speed assertion: nothing the emulator does should take seconds */
const REQUEST_BOUND_MS = 15_000;
const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+:\d+/;

let server: RunningServer;
let url: string;
let agent: Agent;
const unexpected: string[] = [];
let sent = 0;
const statuses = new Map<number, number>();
const protoKeys = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  fn: Object.getOwnPropertyNames(Function.prototype).sort(),
});
const cleanProtos = protoKeys();

beforeAll(async () => {
  // the process entry's server (mock-server/server.ts): it also answers what Node's HTTP parser refuses
  server = await startMockServer({ uniqueness: 'atomic', seed: FC_SEED, bodyLimit: '64kb', journalLimit: 5000, log: (m) => unexpected.push(m) });
  url = server.url;
  agent = new Agent({ connections: BATCH, headersTimeout: REQUEST_BOUND_MS, bodyTimeout: REQUEST_BOUND_MS });
});

afterAll(async () => {
  await agent?.destroy();
  await server?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(r: FuzzRequest): Promise<Answer> {
  sent++;
  const res = await request(`${url}${r.path}`, {
    method: r.method,
    dispatcher: agent,
    headers: r.headers,
    body: r.body,
    signal: AbortSignal.timeout(REQUEST_BOUND_MS),
  });
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

function describeRequest(r: FuzzRequest): string {
  const body = typeof r.body === 'string' ? r.body : r.body ? `<${r.body.length} bytes>` : '';
  return `${r.method} ${r.path.slice(0, 300)} ${JSON.stringify(r.headers)} ${body.slice(0, 300)}`;
}

/** 2.35's TrackerController is a stub that answers POST /api/tracker with 501: emulated, not a failure. */
function emulated501(version: string, r: FuzzRequest, a: Answer): boolean {
  // what goes on the wire (the client resolves `..` and `%2e%2e` segments), then express's view:
  // case-insensitive routes, a trailing slash ignored
  const path = new URL(r.path, 'http://127.0.0.1').pathname.replace(/^\/api\/\d{2}(?=\/)/, '/api').replace(/\.json$/, '').toLowerCase().replace(/\/+$/, '');
  return a.status === 501 && version === '2.35' && r.method === 'POST' && path === '/api/tracker';
}

/**
 * DHIS2 itself answers 500 to a body Jackson cannot map (CrudControllerAdvice's default handler;
 * mock-server/routes/body-errors.ts): emulated, not a failure. An emulator crash says "Internal emulator error".
 */
function emulated500(a: Answer): boolean {
  return a.status === 500 && /^\{"httpStatus":"Internal Server Error"/.test(a.text) && !a.text.includes('Internal emulator error');
}

/** The checks every answer must pass; returns a reason when it does not. */
function verdict(version: string, r: FuzzRequest, a: Answer): string | null {
  if (a.status >= 500 && !emulated501(version, r, a) && !emulated500(a)) return `HTTP ${a.status} without a fault plan: ${a.text.slice(0, 300)}`;
  if (STACK_TRACE.test(a.text)) return `stack trace or source path in the body: ${a.text.slice(0, 300)}`;
  if (a.status === 302) return typeof a.headers.location === 'string' ? null : '302 without Location';
  if (a.status < 400) return null;
  if (r.method === 'HEAD') return null;
  const type = String(a.headers['content-type'] ?? '');
  if (!/application\/json/.test(type)) return `error ${a.status} is not JSON (${type}): ${a.text.slice(0, 200)}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(a.text) as Record<string, unknown>;
  } catch {
    return `error ${a.status} body does not parse: ${a.text.slice(0, 200)}`;
  }
  if (typeof body.httpStatus !== 'string') return `error ${a.status} has no httpStatus: ${a.text.slice(0, 200)}`;
  if (body.httpStatusCode !== a.status) return `httpStatusCode ${String(body.httpStatusCode)} ≠ HTTP ${a.status}`;
  if (typeof body.status !== 'string') return `error ${a.status} has no status: ${a.text.slice(0, 200)}`;
  if (typeof body.message !== 'string') return `error ${a.status} has no message: ${a.text.slice(0, 200)}`;
  return null;
}

describe('hostile input (issue item 2)', () => {
  it.each(VERSIONS)(`DHIS2 %s: ${RUNS_PER_VERSION * BATCH} generated requests, no crash, no 5xx, DHIS2-shaped errors, no pollution`, async (version) => {
    server.mock.admin.configure({ dhis2Version: version });
    const seed = FC_SEED + VERSIONS.indexOf(version);
    const result = await fc.check(
      fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map((r) => send(r).then((a) => ({ r, a }), (e: Error) => ({ r, error: e }))));
        for (const x of answers) {
          if ('error' in x) throw new Error(`no answer (${x.error.message}) to ${describeRequest(x.r)}`);
          const why = verdict(version, x.r, x.a);
          if (why) throw new Error(`${why}\n  request: ${describeRequest(x.r)}`);
        }
        if (JSON.stringify(protoKeys()) !== JSON.stringify(cleanProtos) || ({} as Record<string, unknown>).polluted !== undefined) {
          throw new Error(`prototype pollution after: ${batch.map(describeRequest).join('\n')}`);
        }
      }),
      { seed, numRuns: RUNS_PER_VERSION },
    );
    // the shrunk batch can hold 10 long requests: report the reason (it names the request) only
    if (result.failed) {
      const reason = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      throw new Error(`DHIS2 ${version}, seed ${seed}, path ${result.counterexamplePath}: ${reason.slice(0, 2000)}`);
    }
    // still serving, and nothing reached the unexpected-error log
    const alive = await request(`${url}/api/system/info`, { dispatcher: agent, headers: { authorization: ADMIN } });
    expect(alive.statusCode).toBe(200);
    await alive.body.dump();
    expect(unexpected).toEqual([]);
  });

  it('sent at least 10,000 requests in total, and they got past auth and routing into the parsers', () => {
    console.log(`[fuzz] ${sent} requests; HTTP statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    expect(sent).toBeGreaterThanOrEqual(VERSIONS.length * RUNS_PER_VERSION * BATCH);
    // a generator that only ever produced 401s or 404s would pass everything above vacuously
    for (const status of [200, 302, 400, 401, 404, 409, 413, 415, 431]) expect(statuses.get(status) ?? 0, `no ${status} among the answers`).toBeGreaterThan(0);
  });
});
