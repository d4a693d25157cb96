/**
 * Model-based test of the emulator itself (fc.commands + asyncModelRun): arbitrary sequences of
 * legacy and tracker imports, updates, deletes, searches and reads against a plain model of
 * tracked entities. If the emulator were inconsistent, the harness would judge upserts against a
 * wrong oracle; this proves the oracle under any sequence (atomic uniqueness, DHIS2 2.40).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/index.js';
import { emulator } from '../mock-server/helpers.js';
import { announceSeed, FC_SEED } from './fc-config.js';

announceSeed('emulator-model');

const A = DEMO_IDS.attributes;
const TET = DEMO_IDS.trackedEntityType;
const OU = DEMO_IDS.orgUnits.ngelehun;
const UIDS = ['AAAAAAAAAA1', 'BBBBBBBBBB1', 'CCCCCCCCCC1'];
// two spellings of one key: the legacy API compares case-insensitively, the tracker API exactly
const KEYS = ['NID-A', 'nid-a', 'NID-B'];
const NAMES = ['Ama', 'Bintu'];

interface ModelEntity {
  attrs: Record<string, string>;
  deleted: boolean;
}
interface Model {
  entities: Map<string, ModelEntity>;
}
type Env = Awaited<ReturnType<typeof emulator>>;
type Cmd = fc.AsyncCommand<Model, Env>;

const attrList = (o: Record<string, string>) => Object.entries(o).map(([attribute, value]) => ({ attribute, value }));
const keyOf = (e: ModelEntity) => e.attrs[A.nationalId];

/** Another live entity holds the key, case-insensitively (legacy, spec §2.7). */
function legacyConflict(m: Model, uid: string | undefined, key: string): boolean {
  return [...m.entities].some(([u, e]) => u !== uid && !e.deleted && keyOf(e)?.toLowerCase() === key.toLowerCase());
}
/** Another stored entity holds exactly the key, soft-deleted ones included (tracker, spec §3.4). */
function trackerConflict(m: Model, uid: string, key: string): boolean {
  return [...m.entities].some(([u, e]) => u !== uid && keyOf(e) === key);
}

function apply(m: Model, uid: string, attrs: Record<string, string>): void {
  const e = m.entities.get(uid);
  m.entities.set(uid, { attrs: { ...(e?.attrs ?? {}), ...attrs }, deleted: false });
}

class LegacyPost implements Cmd {
  constructor(readonly uid: string | undefined, readonly key: string, readonly first: string) {}
  check = () => true;
  async run(m: Model, r: Env) {
    const attrs = { [A.nationalId]: this.key, [A.firstName]: this.first };
    const res = await r.post('/api/trackedEntityInstances', { ...(this.uid ? { trackedEntityInstance: this.uid } : {}), trackedEntityType: TET, orgUnit: OU, attributes: attrList(attrs) });
    const existing = this.uid ? m.entities.get(this.uid) : undefined;
    const refused = existing?.deleted === true || legacyConflict(m, this.uid, this.key);
    expect(res.status, JSON.stringify(res.body)).toBe(refused ? 409 : 200);
    if (refused) return;
    const uid = this.uid ?? res.body.response.importSummaries[0].reference;
    if (!this.uid) expect(m.entities.has(uid)).toBe(false);
    apply(m, uid, attrs);
  }
  toString = () => `LegacyPost(${this.uid ?? '-'}, ${this.key}, ${this.first})`;
}

class LegacyPut implements Cmd {
  constructor(readonly uid: string, readonly last: string) {}
  check = () => true;
  async run(m: Model, r: Env) {
    const res = await r.put(`/api/trackedEntityInstances/${this.uid}`, { trackedEntityType: TET, orgUnit: OU, attributes: [{ attribute: A.lastName, value: this.last }] });
    const e = m.entities.get(this.uid);
    expect(res.status, JSON.stringify(res.body)).toBe(e && !e.deleted ? 200 : 409);
    if (e && !e.deleted) apply(m, this.uid, { [A.lastName]: this.last }); // PUT merges (spec §2.5)
  }
  toString = () => `LegacyPut(${this.uid}, last=${this.last})`;
}

class LegacyDelete implements Cmd {
  constructor(readonly uid: string) {}
  check = () => true;
  async run(m: Model, r: Env) {
    const res = await r.del(`/api/trackedEntityInstances/${this.uid}`);
    expect(res.status).toBe(200);
    const e = m.entities.get(this.uid);
    if (e) e.deleted = true;
  }
  toString = () => `LegacyDelete(${this.uid})`;
}

class TrackerImport implements Cmd {
  constructor(readonly uid: string, readonly key: string, readonly first: string) {}
  check = () => true;
  async run(m: Model, r: Env) {
    const attrs = { [A.nationalId]: this.key, [A.firstName]: this.first };
    const res = await r.post('/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE', {
      trackedEntities: [{ trackedEntity: this.uid, trackedEntityType: TET, orgUnit: OU, attributes: attrList(attrs) }],
    });
    const existing = m.entities.get(this.uid);
    const refused = existing?.deleted === true || trackerConflict(m, this.uid, this.key);
    expect(res.status, JSON.stringify(res.body)).toBe(refused ? 409 : 200);
    if (!refused) apply(m, this.uid, attrs);
  }
  toString = () => `TrackerImport(${this.uid}, ${this.key}, ${this.first})`;
}

class Search implements Cmd {
  constructor(readonly key: string) {}
  check = () => true;
  async run(m: Model, r: Env) {
    const res = await r.get(`/api/trackedEntityInstances?ouMode=ACCESSIBLE&trackedEntityType=${TET}&filter=${A.nationalId}:EQ:${encodeURIComponent(this.key)}`);
    expect(res.status).toBe(200);
    const got = (res.body.trackedEntityInstances as { trackedEntityInstance: string }[]).map((t) => t.trackedEntityInstance).sort();
    const want = [...m.entities].filter(([, e]) => !e.deleted && keyOf(e)?.toLowerCase() === this.key.toLowerCase()).map(([u]) => u).sort();
    expect(got).toEqual(want);
  }
  toString = () => `Search(${this.key})`;
}

class Read implements Cmd {
  constructor(readonly uid: string) {}
  check = () => true;
  async run(m: Model, r: Env) {
    const res = await r.get(`/api/trackedEntityInstances/${this.uid}`);
    const e = m.entities.get(this.uid);
    if (!e || e.deleted) return void expect(res.status).toBe(404);
    expect(res.status).toBe(200);
    const got = Object.fromEntries((res.body.attributes as { attribute: string; value: string }[]).map((a) => [a.attribute, a.value]));
    expect(got).toEqual(e.attrs);
  }
  toString = () => `Read(${this.uid})`;
}

const uid = fc.constantFrom(...UIDS);
const key = fc.constantFrom(...KEYS);
const name = fc.constantFrom(...NAMES);
const commands = [
  fc.tuple(fc.option(uid, { nil: undefined }), key, name).map(([u, k, n]) => new LegacyPost(u, k, n)),
  fc.tuple(uid, fc.constantFrom('Kamara', 'Sesay')).map(([u, l]) => new LegacyPut(u, l)),
  uid.map((u) => new LegacyDelete(u)),
  fc.tuple(uid, key, name).map(([u, k, n]) => new TrackerImport(u, k, n)),
  key.map((k) => new Search(k)),
  uid.map((u) => new Read(u)),
];

describe('emulator vs model under arbitrary command sequences', () => {
  it('legacy and tracker imports, updates, deletes, searches and reads agree with the model, invariants included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const env = await emulator({ dhis2Version: '2.40', uniqueness: 'atomic' });
        const model: Model = { entities: new Map() };
        await fc.asyncModelRun(() => ({ model, real: env }), cmds);
        // the admin invariants (case-insensitive, live entities) agree with the model; only the
        // exact-case tracker check can let two spellings of one key coexist
        const groups = new Map<string, string[]>();
        for (const [u, e] of model.entities) if (!e.deleted) groups.set(keyOf(e).toLowerCase(), [...(groups.get(keyOf(e).toLowerCase()) ?? []), u]);
        const want = [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort());
        expect(env.mock.admin.invariants().duplicates.map((d) => d.uids).sort()).toEqual(want.sort());
      }),
      { seed: FC_SEED, numRuns: 150 },
    );
  });
});
