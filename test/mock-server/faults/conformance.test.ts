/**
 * One conformance case per fault kind, over real sockets: what the client sees, whether the write
 * happened, and what the journal says (rule index, committed flag, order).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultEntry, FaultPlanInput, JournalEntry } from '../../../mock-server/index.js';
import { DEMO_IDS } from '../../../mock-server/index.js';
import { FIRST_NAME, holders, live, OU, person, searchPath, TEI_PATH, TET, until, type Live, type Outcome } from './live.js';

const PHONE = DEMO_IDS.attributes.phone;

let env: Live;
beforeEach(async () => {
  env = await live({ dhis2Version: '2.40' });
});
afterEach(async () => {
  await env.close();
});

const faultsIn = (entries: JournalEntry[]) => entries.filter((e): e is FaultEntry => e.type === 'fault');
const post = (nid: string, extra: Record<string, unknown> = {}) => env.call('POST', TEI_PATH, person(nid, extra));
const answered = (o: Outcome) => {
  if (!o.ok) throw new Error(`expected an answer, got ${o.code} ${o.message}`);
  return o.answer;
};

interface Case {
  name: string;
  plan: FaultPlanInput;
  /** the National ID the request writes */
  nid: string;
  send: () => Promise<Outcome>;
  check: (o: Outcome) => void;
  committed: boolean;
  kind: string;
}

const writeOnPost = { method: 'POST', path: '/api/trackedEntityInstances' };

const cases: Case[] = [
  {
    name: 'error-before-commit 500 → DHIS2 WebMessage, nothing written',
    plan: { rules: [{ kind: 'error-before-commit', ...writeOnPost, status: 500 }] },
    nid: 'EB-500',
    send: () => post('EB-500'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(500);
      expect(a.headers['content-type']).toMatch(/^application\/json/);
      expect(a.json()).toMatchObject({ httpStatus: 'Internal Server Error', httpStatusCode: 500, status: 'ERROR' });
      expect(a.json().message).toMatch(/JDBC/);
    },
    committed: false,
    kind: 'error-before-commit',
  },
  {
    name: 'error-before-commit 502 → nginx HTML page, nothing written',
    plan: { rules: [{ kind: 'error-before-commit', ...writeOnPost, status: 502 }] },
    nid: 'EB-502',
    send: () => post('EB-502'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(502);
      expect(a.headers['content-type']).toMatch(/^text\/html/);
      expect(a.headers.server).toBe('nginx');
      expect(a.text).toContain('<title>502 Bad Gateway</title>');
      expect(a.text).toContain('<hr><center>nginx</center>');
    },
    committed: false,
    kind: 'error-before-commit',
  },
  {
    name: 'error-before-commit 503 with Retry-After → WebMessage, nothing written',
    plan: { rules: [{ kind: 'error-before-commit', ...writeOnPost, status: 503, retryAfterSeconds: 7 }] },
    nid: 'EB-503',
    send: () => post('EB-503'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(503);
      expect(a.headers['retry-after']).toBe('7');
      expect(a.json()).toMatchObject({ httpStatus: 'Service Unavailable', httpStatusCode: 503, status: 'ERROR' });
    },
    committed: false,
    kind: 'error-before-commit',
  },
  {
    name: 'error-before-commit 504 → nginx "Gateway Time-out" page',
    plan: { rules: [{ kind: 'error-before-commit', ...writeOnPost, status: 504 }] },
    nid: 'EB-504',
    send: () => post('EB-504'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(504);
      expect(a.text).toContain('<h1>504 Gateway Time-out</h1>');
    },
    committed: false,
    kind: 'error-before-commit',
  },
  {
    name: 'error-after-commit 502 → HTML error although the entity was written',
    plan: { rules: [{ kind: 'error-after-commit', ...writeOnPost, status: 502 }] },
    nid: 'EA-502',
    send: () => post('EA-502'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(502);
      expect(a.text).toContain('502 Bad Gateway');
      expect(a.headers.location).toBeUndefined();
    },
    committed: true,
    kind: 'error-after-commit',
  },
  {
    name: 'error-after-commit 500 → WebMessage although the entity was written',
    plan: { rules: [{ kind: 'error-after-commit', ...writeOnPost, status: 500, message: 'Transaction rolled back?' }] },
    nid: 'EA-500',
    send: () => post('EA-500'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(500);
      expect(a.json()).toEqual({ httpStatus: 'Internal Server Error', httpStatusCode: 500, status: 'ERROR', message: 'Transaction rolled back?' });
    },
    committed: true,
    kind: 'error-after-commit',
  },
  {
    name: 'drop-after-commit (close) → "other side closed", entity written',
    plan: { rules: [{ kind: 'drop-after-commit', ...writeOnPost }] },
    nid: 'DROP-1',
    send: () => post('DROP-1'),
    check: (o) => {
      expect(o.ok).toBe(false);
      if (!o.ok) expect(`${o.code} ${o.message}`).toBe('UND_ERR_SOCKET other side closed');
    },
    committed: true,
    kind: 'drop-after-commit',
  },
  {
    name: 'drop-after-commit (reset) → ECONNRESET, entity written',
    plan: { rules: [{ kind: 'drop-after-commit', ...writeOnPost, mode: 'reset' }] },
    nid: 'DROP-2',
    send: () => post('DROP-2'),
    check: (o) => {
      expect(o.ok).toBe(false);
      if (!o.ok) expect(o.code).toBe('ECONNRESET');
    },
    committed: true,
    kind: 'drop-after-commit',
  },
  {
    name: 'delay-after-commit → the client times out, entity written',
    plan: { rules: [{ kind: 'delay-after-commit', ...writeOnPost, delayMs: 600_000 }] },
    nid: 'LATE-1',
    send: () => env.call('POST', TEI_PATH, person('LATE-1'), { timeoutMs: 300 }),
    check: (o) => {
      expect(o.ok).toBe(false);
      if (!o.ok) expect(`${o.code} ${o.message}`).toMatch(/abort|timeout/i);
    },
    committed: true,
    kind: 'delay-after-commit',
  },
  {
    name: 'reset-before-commit → connection reset, nothing written',
    plan: { rules: [{ kind: 'reset-before-commit', ...writeOnPost }] },
    nid: 'RST-1',
    send: () => post('RST-1'),
    check: (o) => {
      expect(o.ok).toBe(false);
      // RST while the client may still be sending: ECONNRESET, or EPIPE on the write side
      if (!o.ok) expect(o.code).toMatch(/^(ECONNRESET|EPIPE)$/);
    },
    committed: false,
    kind: 'reset-before-commit',
  },
  {
    name: 'rate-limit 429 → Retry-After in seconds, nginx page, nothing written',
    plan: { rules: [{ kind: 'rate-limit', ...writeOnPost, retryAfterSeconds: 3 }] },
    nid: 'RL-429',
    send: () => post('RL-429'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(429);
      expect(a.headers['retry-after']).toBe('3');
      expect(a.text).toContain('429 Too Many Requests');
    },
    committed: false,
    kind: 'rate-limit',
  },
  {
    name: 'rate-limit 503 → Retry-After, WebMessage, nothing written',
    plan: { rules: [{ kind: 'rate-limit', ...writeOnPost, status: 503, retryAfterSeconds: 0 }] },
    nid: 'RL-503',
    send: () => post('RL-503'),
    check: (o) => {
      const a = answered(o);
      expect(a.status).toBe(503);
      expect(a.headers['retry-after']).toBe('0');
      expect(a.json().httpStatusCode).toBe(503);
    },
    committed: false,
    kind: 'rate-limit',
  },
];

describe('fault kinds (conformance, legacy POST on 2.40)', () => {
  it.each(cases)('$name', async (c) => {
    env.mock.admin.faults.install(c.plan);
    const outcome = await c.send();
    c.check(outcome);
    expect(holders(env.mock, c.nid)).toHaveLength(c.committed ? 1 : 0);

    // the server notices a closed connection on its own schedule: wait for the response entry
    await until(() => env.mock.admin.journal({ types: ['response'] }).entries.length === 1);
    const journal = env.mock.admin.journal().entries;
    const request = journal.find((e) => e.type === 'request' && e.method === 'POST')!;
    const own = journal.filter((e) => e.requestId === request.requestId);
    const fault = faultsIn(own)[0];
    expect(fault).toMatchObject({ kind: c.kind, rule: 0, committed: c.committed, route: 'POST /api/trackedEntityInstances', ordinal: 1 });
    const order = own.map((e) => e.type);
    // request first; a commit (if any) before the fault that hides it; the response (status 0 if none) last
    expect(order[0]).toBe('request');
    expect(order.at(-1)).toBe('response');
    expect(order.filter((t) => t === 'commit')).toHaveLength(c.committed ? 1 : 0);
    if (c.committed) expect(order.indexOf('commit')).toBeLessThan(order.indexOf('fault'));
    const response = own.at(-1)!;
    if (!outcome.ok && response.type === 'response') expect(response.status).toBe(0);
    if (outcome.ok && response.type === 'response') expect(response.status).toBe(outcome.answer.status);
  });

  it('latency: the request is delayed by the drawn amount and then handled normally', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'latency', method: 'GET', path: '/api/system/info', delay: { dist: 'fixed', ms: 25 } }] });
    const a = await env.answer('GET', '/api/system/info');
    expect(a.status).toBe(200);
    const journal = env.mock.admin.journal().entries;
    expect(faultsIn(journal)).toEqual([expect.objectContaining({ kind: 'latency', rule: 0, committed: false, detail: 'delayed 25 ms' })]);
    const response = journal.find((e) => e.type === 'response');
    expect(response && response.type === 'response' && response.durationMs).toBeGreaterThanOrEqual(20);
  });

  it('latency: a client that gives up during the delay never reaches the handler', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'latency', ...writeOnPost, delay: { dist: 'fixed', ms: 600_000 } }] });
    const o = await env.call('POST', TEI_PATH, person('LAT-GONE'), { timeoutMs: 200 });
    expect(o.ok).toBe(false);
    await until(() => env.mock.admin.journal({ types: ['response'] }).entries.length === 1);
    expect(holders(env.mock, 'LAT-GONE')).toHaveLength(0);
    expect(env.mock.admin.journal().entries.map((x) => x.type)).toEqual(['request', 'fault', 'response']);
  });

  it('latency composes with an outcome fault: both are journaled, the outcome decides', async () => {
    env.mock.admin.faults.install({
      rules: [
        { kind: 'latency', delay: { dist: 'uniform', minMs: 1, maxMs: 5 } },
        { kind: 'error-before-commit', ...writeOnPost, status: 503 },
      ],
    });
    const o = await post('LAT-ERR');
    expect(answered(o).status).toBe(503);
    expect(faultsIn(env.mock.admin.journal().entries).map((f) => [f.kind, f.rule])).toEqual([
      ['latency', 0],
      ['error-before-commit', 1],
    ]);
  });

  it('duplicate-delivery without a client UID, unique key: the second delivery is refused, the client sees 409 for a write that happened', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'duplicate-delivery', ...writeOnPost }] });
    const a = answered(await post('DUP-1'));
    expect(a.status).toBe(409);
    expect(a.text).toContain("Non-unique attribute value 'DUP-1'");
    expect(holders(env.mock, 'DUP-1')).toHaveLength(1);

    const journal = env.mock.admin.journal().entries;
    const requests = journal.filter((e) => e.type === 'request');
    const client = requests.find((r) => r.type === 'request' && !r.deliveryOf)!;
    const deliveries = requests.filter((r) => r.type === 'request' && r.deliveryOf === client.requestId);
    expect(deliveries.map((d) => d.type === 'request' && d.delivery)).toEqual([1, 2]);
    for (const d of deliveries) if (d.type === 'request') expect(d.bodyHash).toBe(client.type === 'request' && client.bodyHash);
    expect(journal.filter((e) => e.type === 'commit').map((c) => c.requestId)).toEqual([deliveries[0].requestId]);
    expect(faultsIn(journal)).toEqual([expect.objectContaining({ kind: 'duplicate-delivery', requestId: client.requestId, committed: true })]);
    // the client's X-Request-ID is its own, not a delivery's
    expect(a.headers['x-request-id']).toBe(client.requestId);
  });

  it('duplicate-delivery without a client UID, non-unique key: two entities, the client sees one success', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'duplicate-delivery', ...writeOnPost }] });
    const body = { trackedEntityType: TET, orgUnit: OU, attributes: [{ attribute: PHONE, value: '+23276000001' }, { attribute: FIRST_NAME, value: 'Test' }] };
    const a = answered(await env.call('POST', TEI_PATH, body));
    expect(a.status).toBe(200);
    expect(a.json().response.imported).toBe(1);
    const report = env.mock.admin.invariants([PHONE]);
    expect(report.ok).toBe(false);
    expect(report.duplicates).toEqual([expect.objectContaining({ attribute: PHONE, value: '+23276000001', scope: 'global' })]);
    expect(report.duplicates[0].uids).toHaveLength(2);
  });

  it('duplicate-delivery with a client UID (CREATE_AND_UPDATE): one entity, the client sees the update', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'duplicate-delivery', ...writeOnPost }] });
    const a = answered(await post('DUP-2', { trackedEntityInstance: 'Dup2Uid0001' }));
    expect(a.status).toBe(200);
    expect(a.json().response).toMatchObject({ imported: 0, updated: 1 });
    expect(holders(env.mock, 'DUP-2').map((e) => e.uid)).toEqual(['Dup2Uid0001']);
    expect(env.mock.admin.journal({ types: ['commit'] }).entries.map((c) => c.type === 'commit' && c.operation)).toEqual(['create', 'update']);
  });

  it('duplicate-delivery answering with the first delivery', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'duplicate-delivery', ...writeOnPost, respond: 'first' }] });
    const a = answered(await post('DUP-3', { trackedEntityInstance: 'Dup3Uid0001' }));
    expect(a.json().response).toMatchObject({ imported: 1, updated: 0 });
    expect(holders(env.mock, 'DUP-3')).toHaveLength(1);
  });

  it('faults never touch the admin API', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'error-before-commit', status: 500 }] });
    expect((await env.admin('GET', '/__admin/invariants')).status).toBe(200);
    expect(answered(await env.call('GET', searchPath('X'))).status).toBe(500);
  });
});
