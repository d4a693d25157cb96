/**
 * Uniqueness modes against a naive search-then-create client (spec §2.7, §3.4, §6): `racy` lets two
 * overlapping imports of one key both pass, `atomic` never does, `off` does not check at all; the
 * UID stays a database key in every mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RaceWindowInfo, UniquenessMode } from '../../../mock-server/index.js';
import { holders, live, NID, person, TEI_PATH, type Live } from '../faults/live.js';
import { barrier, naiveUpsert } from './naive.js';

let env: Live | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(uniqueness: UniquenessMode) {
  env = await live({ uniqueness, dhis2Version: '2.40' });
  return env;
}

describe('racy (the default): check, window, commit', () => {
  it('§2.7 two concurrent naive upserts of one key, both held in the window → both create: a duplicate', async () => {
    const e = await start('racy');
    const seen: RaceWindowInfo[] = [];
    const bothChecked = barrier(2);
    e.mock.admin.setRaceHook(async (info) => {
      seen.push(info);
      await bothChecked();
    });
    const results = await Promise.all([naiveUpsert(e, 'RACE-1'), naiveUpsert(e, 'RACE-1')]);
    expect(results.map((r) => r.action)).toEqual(['created', 'created']);
    expect(holders(e.mock, 'RACE-1')).toHaveLength(2);
    const report = e.mock.admin.invariants();
    expect(report.ok).toBe(false);
    expect(report.duplicates).toEqual([{ attribute: NID, value: 'RACE-1', scope: 'global', uids: holders(e.mock, 'RACE-1').map((h) => h.uid).sort() }]);
    expect(seen.map((s) => s.keys)).toEqual([
      [{ attribute: NID, value: 'RACE-1' }],
      [{ attribute: NID, value: 'RACE-1' }],
    ]);
    expect(seen.every((s) => s.api === 'legacy' && s.uids.length === 1)).toBe(true);
  });

  it('§2.7 the check still sees committed state: a later create of the same key (any case) is refused', async () => {
    const e = await start('racy');
    expect((await e.answer('POST', TEI_PATH, person('SEQ-1'))).status).toBe(200);
    const second = await e.answer('POST', TEI_PATH, person('seq-1'));
    expect(second.status).toBe(409);
    expect(second.text).toContain("Non-unique attribute value 'seq-1' for attribute " + NID);
    expect(holders(e.mock, 'SEQ-1')).toHaveLength(1);
  });

  it('§2.7 when one import commits before the other checks, the second is refused (no duplicate)', async () => {
    const e = await start('racy');
    // naive clients one after the other: the second search already finds the first entity
    const first = await naiveUpsert(e, 'SEQ-2');
    const second = await naiveUpsert(e, 'SEQ-2');
    expect([first.action, second.action]).toEqual(['created', 'updated']);
    expect(holders(e.mock, 'SEQ-2')).toHaveLength(1);
  });

  it('§6 two concurrent creates with the same client UID: one succeeds, the other fails on the UID constraint', async () => {
    const e = await start('racy');
    const bothChecked = barrier(2);
    e.mock.admin.setRaceHook(() => bothChecked());
    const body = (nid: string) => person(nid, { trackedEntityInstance: 'SameUid0001' });
    const answers = await Promise.all([e.answer('POST', TEI_PATH, body('UID-A')), e.answer('POST', TEI_PATH, body('UID-B'))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!.json();
    expect(loser.response.importSummaries[0].description).toMatch(
      /^The import process failed: could not execute statement; .*duplicate key value violates unique constraint "uk_rbr4kyuk4s0kb4jo1r77cuaq9" Detail: Key \(uid\)=\(SameUid0001\) already exists\.$/,
    );
    expect(e.mock.admin.state().filter((x) => x.uid === 'SameUid0001')).toHaveLength(1);
  });

  it('the hook is awaited only in racy mode; PUT /__admin/config switches modes at run time', async () => {
    const e = await start('racy');
    let calls = 0;
    e.mock.admin.setRaceHook(async () => {
      calls++;
    });
    await e.answer('POST', TEI_PATH, person('CFG-1'));
    expect(calls).toBe(1);
    const cfg = await e.admin('PUT', '/__admin/config', { uniqueness: 'atomic' });
    expect(cfg.json()).toMatchObject({ status: 'OK', uniqueness: 'atomic' });
    await e.answer('POST', TEI_PATH, person('CFG-2'));
    expect(calls).toBe(1);
    await e.admin('PUT', '/__admin/config', { uniqueness: 'racy', raceWindowMs: [0, 0] });
    await e.answer('POST', TEI_PATH, person('CFG-3'));
    expect(calls).toBe(2);
  });

  it('rejects an unknown mode over the admin API', async () => {
    const e = await start('racy');
    const res = await e.admin('PUT', '/__admin/config', { uniqueness: 'sometimes' });
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(/uniqueness/);
  });
});

describe('atomic: check and insert are one step', () => {
  it.each([
    ['both search before either writes', true],
    ['no coordination', false],
  ])('two concurrent naive upserts of one key (%s) → exactly one entity', async (_name, coordinated) => {
    const e = await start('atomic');
    const searched = barrier(2);
    const gates = coordinated ? { beforeWrite: searched } : {};
    const results = await Promise.all([naiveUpsert(e, 'ATOM-1', gates), naiveUpsert(e, 'ATOM-1', gates)]);
    expect(holders(e.mock, 'ATOM-1')).toHaveLength(1);
    expect(e.mock.admin.invariants().ok).toBe(true);
    if (coordinated) {
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body).toContain("Non-unique attribute value 'ATOM-1'");
    }
  });
});

describe('off: no uniqueness check at all', () => {
  it('two concurrent naive upserts that both search first → both create', async () => {
    const e = await start('off');
    const searched = barrier(2);
    const results = await Promise.all([naiveUpsert(e, 'OFF-1', { beforeWrite: searched }), naiveUpsert(e, 'OFF-1', { beforeWrite: searched })]);
    expect(results.map((r) => r.action)).toEqual(['created', 'created']);
    expect(holders(e.mock, 'OFF-1')).toHaveLength(2);
  });

  it('even sequential creates of one unique value both succeed', async () => {
    const e = await start('off');
    expect((await e.answer('POST', TEI_PATH, person('OFF-2'))).status).toBe(200);
    expect((await e.answer('POST', TEI_PATH, person('OFF-2'))).status).toBe(200);
    expect(e.mock.admin.invariants().duplicates.map((d) => d.value)).toEqual(['OFF-2']);
  });
});
