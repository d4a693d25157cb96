/**
 * Load (issue item 3): 64 concurrent clients on loopback mix searches and writes (legacy creates,
 * tracker creates, updates, searches by key and by UID) against keys they compete for. Afterwards:
 * no 5xx; in `atomic` mode no two live entities share a key and no search ever returned two; every
 * acknowledged create is present with its key and every acknowledged update holds its value; the
 * journal stayed within its limit. Bounded by a fixed number of operations per client.
 */
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type RunningServer } from '../../mock-server/server.js';
import { ADMIN } from '../mock-server/helpers.js';
import { A, createBody, legacyAcknowledged, OU, OU2, TEI_PATH, TET, updateBody, valueOf } from './support/people.js';
import { FC_SEED, seededRandom, uidFrom } from './support/seed.js';

const CLIENTS = 64;
const OPS_PER_CLIENT = 30;
/** keys the clients fight over: far fewer than creates, so most creates collide */
const KEY_POOL = 150;
const JOURNAL_LIMIT = 1000;

interface Outcome {
  fiveHundreds: string[];
  /** uid → key of acknowledged creates */
  created: Map<string, string>;
  /** uid → phone of the last acknowledged update (each uid is updated by its creator only) */
  updated: Map<string, string>;
  /** searches that returned more than one live entity for one key */
  doubleHits: string[];
  requests: number;
}

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function call(agent: Agent, url: string, method: string, path: string, body?: unknown) {
  const res = await request(`${url}${path}`, {
    method,
    dispatcher: agent,
    headers: { authorization: ADMIN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.statusCode, json };
}

async function hammer(url: string, seed: number): Promise<Outcome> {
  const agent = new Agent({ connections: CLIENTS });
  const out: Outcome = { fiveHundreds: [], created: new Map(), updated: new Map(), doubleHits: [], requests: 0 };
  const client = async (c: number) => {
    const rnd = seededRandom(seed * 1000 + c);
    const mine: { uid: string; orgUnit: string }[] = [];
    for (let op = 0; op < OPS_PER_CLIENT; op++) {
      const key = `LOAD-${Math.floor(rnd() * KEY_POOL)}`;
      const phone = `+2327${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`;
      const orgUnit = rnd() < 0.5 ? OU : OU2;
      const pick = rnd();
      let r: { status: number; json: unknown };
      let what: string;
      if (pick < 0.3) {
        const uid = uidFrom(rnd);
        what = `legacy create ${uid} ${key}`;
        r = await call(agent, url, 'POST', TEI_PATH, createBody(uid, key, phone, orgUnit));
        if (legacyAcknowledged(r.status, r.json)) {
          out.created.set(uid, key);
          mine.push({ uid, orgUnit });
        }
      } else if (pick < 0.4) {
        const uid = uidFrom(rnd);
        what = `tracker create ${uid} ${key}`;
        const te = { trackedEntity: uid, trackedEntityType: TET, orgUnit, attributes: [{ attribute: A.nationalId, value: key }, { attribute: A.firstName, value: 'Load' }, { attribute: A.phone, value: phone }] };
        r = await call(agent, url, 'POST', '/api/tracker?async=false&importStrategy=CREATE', { trackedEntities: [te] });
        const body = r.json as { status?: string; stats?: { created?: number } };
        if (r.status === 200 && body.status === 'OK' && body.stats?.created === 1) {
          out.created.set(uid, key);
          mine.push({ uid, orgUnit });
        }
      } else if (pick < 0.55 && mine.length > 0) {
        const { uid, orgUnit: registeredAt } = mine[Math.floor(rnd() * mine.length)];
        what = `update ${uid}`;
        r = await call(agent, url, 'PUT', `${TEI_PATH}/${uid}`, updateBody(phone, registeredAt));
        if (legacyAcknowledged(r.status, r.json)) out.updated.set(uid, phone);
      } else if (pick < 0.85) {
        what = `search ${key}`;
        r = await call(agent, url, 'GET', `${TEI_PATH}?trackedEntityType=${TET}&ouMode=ACCESSIBLE&filter=${A.nationalId}:EQ:${key}&fields=trackedEntityInstance,deleted`);
        const list = (r.json as { trackedEntityInstances?: { deleted?: boolean }[] }).trackedEntityInstances ?? [];
        if (list.filter((t) => !t.deleted).length > 1) out.doubleHits.push(`${key}: ${JSON.stringify(list)}`);
      } else {
        const uid = mine[Math.floor(rnd() * mine.length)]?.uid ?? uidFrom(rnd);
        what = `get ${uid}`;
        r = await call(agent, url, 'GET', `${TEI_PATH}/${uid}`);
      }
      out.requests++;
      if (r.status >= 500) out.fiveHundreds.push(`${what} → ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  await agent.destroy();
  return out;
}

describe('64 concurrent clients (issue item 3)', () => {
  it.each([
    ['atomic', [0, 0]],
    ['racy', [0, 3]],
  ] as const)('%s uniqueness: acknowledged writes all present, no 5xx, bounded journal', async (mode, raceWindowMs) => {
    const unexpected: string[] = [];
    running = await startMockServer({ uniqueness: mode, raceWindowMs: [...raceWindowMs], seed: FC_SEED, journalLimit: JOURNAL_LIMIT, log: (m) => unexpected.push(m) });
    const mock = running.mock;
    const out = await hammer(running.url, FC_SEED);

    expect(out.requests).toBe(CLIENTS * OPS_PER_CLIENT);
    expect(out.fiveHundreds).toEqual([]);
    expect(unexpected).toEqual([]);
    // the workload really contended: keys were taken, and some creates lost the race for them
    expect(out.created.size).toBeGreaterThan(KEY_POOL / 2);
    expect(out.created.size).toBeLessThan(CLIENTS * OPS_PER_CLIENT * 0.4);

    for (const [uid, key] of out.created) {
      const e = mock.store.get(uid);
      expect(e, `acknowledged create ${uid} (${key}) is missing`).toBeDefined();
      expect(e!.deleted).toBe(false);
      expect(valueOf(e!, A.nationalId)).toBe(key);
    }
    for (const [uid, phone] of out.updated) expect(valueOf(mock.store.get(uid)!, A.phone), `acknowledged update of ${uid}`).toBe(phone);

    if (mode === 'atomic') {
      expect(out.doubleHits).toEqual([]);
      const report = mock.admin.invariants();
      expect(report.duplicates).toEqual([]);
      expect(report.ok).toBe(true);
    }

    // memory stays bounded: the journal keeps its last JOURNAL_LIMIT entries and counts the rest
    const journal = mock.admin.journal();
    expect(journal.entries.length).toBeLessThanOrEqual(JOURNAL_LIMIT);
    expect(journal.dropped).toBeGreaterThan(0);
    expect(journal.entries.at(-1)!.seq - journal.entries[0].seq).toBe(journal.entries.length - 1);
  });
});
