/**
 * A listening emulator on 127.0.0.1 and a plain undici client, for tests that need real sockets
 * (dropped connections, resets, held answers, loopback re-deliveries).
 */
import { Agent, request } from 'undici';
import { createMockDhis2, DEMO_IDS, type CreateMockOptions, type MockDhis2, type StoredEntity } from '../../../mock-server/index.js';

export const AUTH = 'Basic ' + Buffer.from('admin:district').toString('base64');
export const TET = DEMO_IDS.trackedEntityType;
export const NID = DEMO_IDS.attributes.nationalId;
export const FIRST_NAME = DEMO_IDS.attributes.firstName;
export const OU = DEMO_IDS.orgUnits.ngelehun;
export const TEI_PATH = '/api/trackedEntityInstances';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** What the client saw: an answer, or the transport error's code and message. */
export type Outcome = { ok: true; answer: Answer } | { ok: false; code: string; message: string };

export interface Live {
  mock: MockDhis2;
  url: string;
  call(method: string, path: string, body?: unknown, opts?: { timeoutMs?: number; headers?: Record<string, string> }): Promise<Outcome>;
  /** like call, but fails the test on a transport error */
  answer(method: string, path: string, body?: unknown): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

export async function live(opts: CreateMockOptions = {}): Promise<Live> {
  const mock = await createMockDhis2({ uniqueness: 'atomic', seed: 42, log: () => {}, ...opts });
  const url = await mock.listen(0, '127.0.0.1');
  // one connection per request: a dropped socket must not poison the next request
  const agent = new Agent({ pipelining: 0, keepAliveTimeout: 1, connections: 16 });
  const call: Live['call'] = async (method, path, body, o = {}) => {
    try {
      const res = await request(url + path, {
        method: method as 'GET',
        dispatcher: agent,
        headers: { authorization: AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: o.timeoutMs !== undefined ? AbortSignal.timeout(o.timeoutMs) : undefined,
      });
      const text = await res.body.text();
      return { ok: true, answer: { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) } };
    } catch (e) {
      const err = e as Error & { code?: string; cause?: { code?: string } };
      return { ok: false, code: err.code ?? err.cause?.code ?? err.name, message: err.message };
    }
  };
  const answer: Live['answer'] = async (method, path, body) => {
    const out = await call(method, path, body);
    if (!out.ok) throw new Error(`${method} ${path} failed at the transport: ${out.code} ${out.message}`);
    return out.answer;
  };
  return {
    mock,
    url,
    call,
    answer,
    admin: answer,
    async close() {
      await agent.close().catch(() => {});
      await mock.close();
    },
  };
}

export function person(nid: string, extra: Record<string, unknown> = {}) {
  return { trackedEntityType: TET, orgUnit: OU, attributes: [{ attribute: NID, value: nid }, { attribute: FIRST_NAME, value: 'Test' }], ...extra };
}

export const searchPath = (nid: string) => `${TEI_PATH}?ouMode=ACCESSIBLE&trackedEntityType=${TET}&filter=${NID}:EQ:${encodeURIComponent(nid)}`;

/** Live entities holding this National ID. */
export function holders(mock: MockDhis2, nid: string): StoredEntity[] {
  return mock.admin.state().filter((e) => !e.deleted && e.attributes.some((a) => a.attribute === NID && a.value.toLowerCase() === nid.toLowerCase()));
}

/** Waits until `cond` holds (polling between I/O turns); fails after `limitMs` instead of hanging. */
export async function until(cond: () => boolean, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
