/**
 * Server-minted UIDs never repeat a stored one (issue 15, item 4): restarting with the same `--seed`
 * and `--db` replayed the generator from the start, so the next plain create minted the UID of an
 * entity that already existed and failed on the UID constraint. The generator's position is now
 * saved with the state, and minting skips every stored UID (soft-deleted ones included), also for a
 * file whose UIDs came from elsewhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { ADMIN } from '../mock-server/helpers.js';
import { createBody, legacyAcknowledged, storedPerson, TEI_PATH } from './support/people.js';

const dir = mkdtempSync(join(tmpdir(), 'dhis2-uids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: MockDhis2[] = [];
afterAll(async () => {
  for (const m of open) await m.close();
});

async function start(file: string, seed: number): Promise<{ mock: MockDhis2; url: string }> {
  const mock = await createMockDhis2({ db: file, seed, uniqueness: 'atomic', log: () => {} });
  open.push(mock);
  return { mock, url: await mock.listen() };
}

async function stop(mock: MockDhis2): Promise<void> {
  open.splice(open.indexOf(mock), 1);
  await mock.close();
}

/** A legacy create without a UID: the server mints one. Returns it, or the answer when refused. */
async function plainCreate(url: string, nid: string): Promise<string> {
  const res = await request(`${url}${TEI_PATH}`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify(createBody(undefined, nid, '+23270000002')),
  });
  const body = (await res.body.json()) as { response?: { importSummaries?: { reference?: string }[] } };
  expect(legacyAcknowledged(res.statusCode, body), `create of ${nid} refused: ${JSON.stringify(body)}`).toBe(true);
  return body.response!.importSummaries![0].reference!;
}

async function systemIds(url: string, limit: number): Promise<string[]> {
  const res = await request(`${url}/api/system/id?limit=${limit}`, { headers: { authorization: ADMIN } });
  return ((await res.body.json()) as { codes: string[] }).codes;
}

describe('UIDs minted after a restart with the same --seed and --db (item 4)', () => {
  it('the next plain create succeeds with a new UID, soft-deleted entities included; /system/id hands out nothing seen before', async () => {
    const file = join(dir, 'restart.json');
    let { mock, url } = await start(file, 7);
    const kept = await plainCreate(url, 'UID-KEPT');
    const deleted = await plainCreate(url, 'UID-DELETED');
    const handedOut = await systemIds(url, 5);
    const del = await request(`${url}${TEI_PATH}/${deleted}`, { method: 'DELETE', headers: { authorization: ADMIN } });
    expect(del.statusCode).toBe(200);
    await del.body.dump();
    await stop(mock);

    ({ mock, url } = await start(file, 7));
    const stored = new Set(mock.admin.state().map((e) => e.uid));
    expect(stored).toContain(kept);
    expect(stored).toContain(deleted);
    const again = [await plainCreate(url, 'UID-AFTER-1'), await plainCreate(url, 'UID-AFTER-2')];
    for (const uid of again) expect([kept, deleted, ...handedOut]).not.toContain(uid);
    const ids = await systemIds(url, 50);
    for (const id of ids) expect([...stored, ...handedOut]).not.toContain(id);
    await stop(mock);
  });

  it('a file holding exactly the UIDs this seed mints first (written elsewhere): minting skips them', async () => {
    // what seed 11 mints first, on a fresh in-memory emulator
    const probe = await createMockDhis2({ seed: 11, log: () => {} });
    const url0 = await probe.listen();
    const upcoming = await systemIds(url0, 3);
    await probe.close();
    const file = join(dir, 'foreign.json');
    const entities = upcoming.map((uid, i) => ({ ...storedPerson(100 + i), uid, deleted: i === 1 }));
    writeFileSync(file, JSON.stringify({ version: 1, trackedEntities: entities }));

    const { mock, url } = await start(file, 11);
    const minted = [await plainCreate(url, 'UID-F1'), await plainCreate(url, 'UID-F2')];
    for (const uid of minted) expect(upcoming).not.toContain(uid);
    expect(mock.admin.state().filter((e) => !e.deleted && e.attributes.some((a) => a.value.startsWith('UID-F')))).toHaveLength(2);
    await stop(mock);
  });
});
