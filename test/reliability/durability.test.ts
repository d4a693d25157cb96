/**
 * `--db FILE` durability: the emulator is killed with SIGKILL in the middle of a write burst, again
 * and again. After every kill the file must parse and hold every write that was acknowledged
 * before the kill (importers answer only once their commit is on disk). Between kills the server
 * is frozen with SIGSTOP at many points of its save cycle: the file as it is then is what a kill
 * at that instant would leave, so one run checks dozens of crash points. SIGTERM stops gracefully
 * and flushes. Probe and kill points come from FC_SEED; the assertions hold wherever they land.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../mock-server/helpers.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { A, createBody, legacyAcknowledged, storedPerson, TEI_PATH, updateBody, valueOf } from './support/people.js';
import { FC_SEED, seededRandom, uidFrom } from './support/seed.js';

const KILLS = 4;
const PROBES = 15;
const WORKERS = 8;
const PRELOADED = 5000;

interface Expected {
  nid: string;
  /** phone of the last acknowledged write */
  phone: string;
  /** phone of a write in flight when the server died: it may or may not have committed */
  maybe?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'dhis2-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readState(file: string): { uid: string; deleted: boolean; attributes: { attribute: string; value: string }[] }[] {
  const text = readFileSync(file, 'utf8');
  const parsed = JSON.parse(text) as { version: number; trackedEntities: unknown };
  expect(parsed.version).toBe(1);
  expect(Array.isArray(parsed.trackedEntities)).toBe(true);
  return parsed.trackedEntities as ReturnType<typeof readState>;
}

function expectHolds(file: string, expected: Map<string, Expected>): void {
  const byUid = new Map(readState(file).map((e) => [e.uid, e]));
  expect(byUid.size).toBeGreaterThanOrEqual(PRELOADED);
  for (const [uid, want] of expected) {
    const e = byUid.get(uid);
    expect(e, `acknowledged create of ${uid} (${want.nid}) is missing from the file`).toBeDefined();
    expect(valueOf(e!, A.nationalId)).toBe(want.nid);
    const phone = valueOf(e!, A.phone);
    expect([want.phone, want.maybe].filter(Boolean), `acknowledged update of ${uid} is missing`).toContain(phone);
  }
}

/**
 * WORKERS sequential clients write (creates with client UIDs, updates of their own entities) while
 * a prober freezes the server with SIGSTOP at seeded moments, checks the file as a crash at that
 * instant would leave it (a stopped process writes nothing more), and lets it go on with SIGCONT.
 * After PROBES probes the server gets SIGKILL and the file is checked once more.
 */
async function burstProbeKill(server: ChildServer, file: string, expected: Map<string, Expected>, rnd: () => number, tag: string) {
  const agent = new Agent({ connections: WORKERS });
  let acknowledged = 0;
  let done = false;
  const owned: string[][] = Array.from({ length: WORKERS }, () => []);
  const worker = async (w: number) => {
    for (let n = 0; !done; n++) {
      const update = owned[w].length > 0 && rnd() < 0.4;
      const uid = update ? owned[w][Math.floor(rnd() * owned[w].length)] : uidFrom(rnd);
      const phone = `+2327${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`;
      const nid = update ? expected.get(uid)!.nid : `DUR-${tag}-${w}-${n}`;
      const body = update ? updateBody(phone) : createBody(uid, nid, phone);
      if (update) expected.get(uid)!.maybe = phone;
      let answer: { status: number; json: unknown };
      try {
        const res = await request(`${server.url}${TEI_PATH}${update ? `/${uid}` : ''}`, {
          method: update ? 'PUT' : 'POST',
          dispatcher: agent,
          headers: { authorization: ADMIN, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        answer = { status: res.statusCode, json: await res.body.json() };
      } catch {
        // the server died under this request: its outcome is unknown, nothing was acknowledged
        break;
      }
      expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(500);
      if (legacyAcknowledged(answer.status, answer.json)) {
        expected.set(uid, { nid, phone });
        if (!update) owned[w].push(uid);
        acknowledged++;
        const waiter = onAck;
        onAck = null;
        waiter?.();
      } else if (update) {
        expected.get(uid)!.maybe = undefined;
      }
    }
  };
  let onAck: (() => void) | null = null;
  const acks = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (acknowledged >= n || done ? resolve() : (onAck = check));
      check();
    });
  const prober = async () => {
    for (let p = 0, target = 0; p < PROBES; p++) {
      // paced by acknowledged writes, then a seeded pause that spreads the probes over the save
      // cycle; every probe point must pass, so the pause only chooses which point is checked
      target += 1 + Math.floor(rnd() * 3);
      await acks(target);
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 12)));
      server.child.kill('SIGSTOP');
      try {
        if (acknowledged > 0) expectHolds(file, expected);
      } finally {
        server.child.kill('SIGCONT');
      }
    }
    done = true;
    server.child.kill('SIGKILL');
  };
  const workers = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w))).finally(() => {
    // all workers gone (the server died under them): release a prober waiting for acks
    done = true;
    const waiter = onAck;
    onAck = null;
    waiter?.();
  });
  await Promise.all([prober(), workers]);
  const exit = await server.exited;
  await agent.destroy();
  return { acknowledged, exit };
}

describe('durability of --db under SIGKILL (issue item 4)', () => {
  it(`the file parses and holds every acknowledged write at ${KILLS * PROBES} frozen points and after ${KILLS} SIGKILLs mid-burst; SIGTERM flushes`, async () => {
    const file = join(dir, 'state.json');
    // a few thousand entities make every save a multi-megabyte write, so kills land inside one
    writeFileSync(file, JSON.stringify({ version: 1, trackedEntities: Array.from({ length: PRELOADED }, (_, i) => storedPerson(i)) }));
    const rnd = seededRandom(FC_SEED);
    const expected = new Map<string, Expected>();
    for (let k = 0; k < KILLS; k++) {
      const server = await startChildServer({ port: 0, db: file, uniqueness: 'atomic', seed: FC_SEED + k });
      const { acknowledged, exit } = await burstProbeKill(server, file, expected, rnd, String(k));
      expect(exit.signal).toBe('SIGKILL');
      expect(acknowledged).toBeGreaterThan(0);
      expectHolds(file, expected);
      // an update in flight at the kill either made it to disk or not: the file now says which
      const stored = new Map(readState(file).map((e) => [e.uid, e]));
      for (const [uid, e] of expected) {
        e.phone = valueOf(stored.get(uid)!, A.phone)!;
        e.maybe = undefined;
      }
    }

    // graceful stop: SIGTERM drains, flushes, exits 0; the restarted emulator sees the same state
    const server = await startChildServer({ port: 0, db: file, uniqueness: 'atomic', seed: FC_SEED });
    const state = await request(`${server.url}/__admin/state`).then((r) => r.body.json() as Promise<{ trackedEntities: { uid: string }[] }>);
    for (const uid of expected.keys()) expect(state.trackedEntities.some((e) => e.uid === uid), `${uid} not loaded back`).toBe(true);
    const uid = uidFrom(rnd);
    const res = await request(`${server.url}${TEI_PATH}`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(createBody(uid, 'DUR-last', '+23270000001')),
    });
    expect(legacyAcknowledged(res.statusCode, await res.body.json())).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(readState(file).some((e) => e.uid === uid)).toBe(true);
    expect(existsSync(join(dir, '.state.json.tmp'))).toBe(false);
  });

  it('an unreadable --db file stops the start with a message naming the file, and the file is left alone', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"version":1,"trackedEntities":[{"uid":');
    const failed = startChildServer({ port: 0, db: file });
    await expect(failed).rejects.toThrow(/Cannot read the --db file .*broken\.json/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"trackedEntities":[{"uid":');
  });
});
