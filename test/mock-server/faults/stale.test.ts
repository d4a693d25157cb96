/**
 * The stale-search fault: a GET answers from the state as of N commits or N ms ago. The fault layer
 * puts the old state in `res.locals.staleOverlay`; `searchEntities` and `entityAsOf` answer from
 * it. The probe routes below make exactly the calls the list and by-UID routes make.
 */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../mock-server/index.js';
import { legacyCriteria } from '../../../mock-server/dhis2/legacy/search-criteria.js';
import { entityAsOf, searchEntities, type StaleOverlay } from '../../../mock-server/dhis2/search.js';
import { faultMiddleware } from '../../../mock-server/faults/middleware.js';
import { journalMiddleware } from '../../../mock-server/routes/journal-middleware.js';
import { emulator } from '../helpers.js';

const A = DEMO_IDS.attributes;
const TET = DEMO_IDS.trackedEntityType;
const OU = DEMO_IDS.orgUnits.ngelehun;
const tei = (uid: string, nid: string, name: string) => ({
  trackedEntityInstance: uid,
  trackedEntityType: TET,
  orgUnit: OU,
  attributes: [
    { attribute: A.nationalId, value: nid },
    { attribute: A.firstName, value: name },
  ],
});

/** An emulator with one entity created, then renamed: two commits of history. */
async function withHistory() {
  const e = await emulator();
  await e.post('/api/trackedEntityInstances', tei('StaleUid001', 'S-1', 'Before')).expect(200);
  await e.put('/api/trackedEntityInstances/StaleUid001', { orgUnit: OU, attributes: [{ attribute: A.firstName, value: 'After' }] }).expect(200);
  const rt = e.mock.runtime;
  const admin = rt.ctx.meta.users.get('admin')!;
  const probe = express();
  probe.set('query parser', 'simple');
  probe.use(journalMiddleware(rt.journal));
  probe.use(faultMiddleware({ engine: rt.faults, journal: rt.journal, store: () => rt.ctx.store }));
  probe.get('/api/trackedEntityInstances', (req, res) => {
    const criteria = legacyCriteria(rt.ctx, admin, req.query);
    const found = searchEntities(rt.ctx, admin, criteria, res.locals.staleOverlay);
    res.json({ names: found.map((x) => x.attributes.find((a) => a.attribute === A.firstName)?.value) });
  });
  probe.get('/api/trackedEntityInstances/:uid', (req, res) => {
    const found = entityAsOf(rt.ctx.store, String(req.params.uid), res.locals.staleOverlay);
    if (!found) return res.status(404).json({ httpStatusCode: 404 });
    res.json({ name: found.attributes.find((a) => a.attribute === A.firstName)?.value });
  });
  return { e, rt, probe: request(probe) };
}

const search = (nid: string) => `/api/trackedEntityInstances?ouMode=ACCESSIBLE&trackedEntityType=${TET}&filter=${A.nationalId}:EQ:${nid}`;

describe('searchEntities / entityAsOf with an overlay', () => {
  it.each([
    [0, ['After'], 'After'],
    [1, ['Before'], 'Before'],
    [2, [], undefined],
  ])('%i commits ago', async (commitsAgo, names, byUid) => {
    const { rt } = await withHistory();
    const overlay: StaleOverlay | undefined = commitsAgo ? rt.ctx.store.staleOverlay({ commitsAgo }) : undefined;
    const admin = rt.ctx.meta.users.get('admin')!;
    const criteria = legacyCriteria(rt.ctx, admin, { ouMode: 'ACCESSIBLE', trackedEntityType: TET, filter: `${A.nationalId}:EQ:S-1` });
    const found = searchEntities(rt.ctx, admin, criteria, overlay);
    expect(found.map((x) => x.attributes.find((a) => a.attribute === A.firstName)?.value)).toEqual(names);
    expect(entityAsOf(rt.ctx.store, 'StaleUid001', overlay)?.attributes.find((a) => a.attribute === A.firstName)?.value).toBe(byUid);
  });

  it('an old value is found by the old state only (index lookups are re-checked on old versions)', async () => {
    const { e, rt } = await withHistory();
    await e.put('/api/trackedEntityInstances/StaleUid001', { orgUnit: OU, attributes: [{ attribute: A.nationalId, value: 'S-1-NEW' }] }).expect(200);
    const admin = rt.ctx.meta.users.get('admin')!;
    const criteria = (nid: string) => legacyCriteria(rt.ctx, admin, { ouMode: 'ACCESSIBLE', trackedEntityType: TET, filter: `${A.nationalId}:EQ:${nid}` });
    const overlay = rt.ctx.store.staleOverlay({ commitsAgo: 1 });
    expect(searchEntities(rt.ctx, admin, criteria('S-1'))).toHaveLength(0);
    expect(searchEntities(rt.ctx, admin, criteria('S-1'), overlay)).toHaveLength(1);
    expect(searchEntities(rt.ctx, admin, criteria('S-1-NEW'), overlay)).toHaveLength(0);
  });
});

describe('stale-search fault', () => {
  it('GET search and GET-by-UID answer from the state N commits ago, and the fault is journaled', async () => {
    const { e, probe } = await withHistory();
    e.mock.admin.faults.install({ rules: [{ kind: 'stale-search', commitsAgo: 2, times: 2 }] });
    expect((await probe.get(search('S-1')).expect(200)).body.names).toEqual([]);
    await probe.get('/api/trackedEntityInstances/StaleUid001').expect(404);
    // times: 2 → the plan has run out; reads are fresh again
    expect((await probe.get(search('S-1')).expect(200)).body.names).toEqual(['After']);
    const faults = e.mock.admin.journal({ types: ['fault'] }).entries;
    expect(faults).toEqual([
      expect.objectContaining({ kind: 'stale-search', rule: 0, committed: false, route: 'GET /api/trackedEntityInstances', detail: 'answers from the state as of 2 commits ago (1 entity differs)' }),
      expect.objectContaining({ kind: 'stale-search', route: 'GET /api/trackedEntityInstances/{uid}' }),
    ]);
  });

  it('by time: msAgo larger than the history hides every commit', async () => {
    const { e, probe } = await withHistory();
    e.mock.admin.faults.install({ rules: [{ kind: 'stale-search', msAgo: 3_600_000 }] });
    expect((await probe.get(search('S-1')).expect(200)).body.names).toEqual([]);
  });

  it('never applies to writes', async () => {
    const { e, rt } = await withHistory();
    e.mock.admin.faults.install({ rules: [{ kind: 'stale-search', commitsAgo: 5 }] });
    await e.put('/api/trackedEntityInstances/StaleUid001', { orgUnit: OU, attributes: [{ attribute: A.firstName, value: 'Again' }] }).expect(200);
    expect(rt.faults.status().rules[0]).toMatchObject({ matched: 0, injected: 0 });
  });
});

describe('stale-search fault through the tracker export routes (spec §3.7, §3.8)', () => {
  it('GET /api/tracker/trackedEntities and /{uid} answer from the state one commit ago', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    await e.post('/api/trackedEntityInstances', tei('StaleUid002', 'S-2', 'Before')).expect(200);
    await e.put('/api/trackedEntityInstances/StaleUid002', { orgUnit: OU, attributes: [{ attribute: A.firstName, value: 'After' }] }).expect(200);
    const list = `/api/tracker/trackedEntities?orgUnitMode=ACCESSIBLE&trackedEntityType=${TET}&filter=${A.nationalId}:EQ:S-2&fields=attributes`;
    const nameIn = (te: { attributes: { attribute: string; value: string }[] }) => te.attributes.find((a) => a.attribute === A.firstName)?.value;
    e.mock.admin.faults.install({ rules: [{ kind: 'stale-search', path: '/api/tracker/**', commitsAgo: 1 }] });
    expect((await e.get(list).expect(200)).body.trackedEntities.map(nameIn)).toEqual(['Before']);
    expect(nameIn((await e.get('/api/tracker/trackedEntities/StaleUid002?fields=attributes').expect(200)).body)).toBe('Before');
    e.mock.admin.faults.install({ rules: [{ kind: 'stale-search', path: '/api/tracker/**', commitsAgo: 2 }] });
    expect((await e.get(list).expect(200)).body.trackedEntities).toEqual([]);
    await e.get('/api/tracker/trackedEntities/StaleUid002').expect(404);
    e.mock.admin.faults.clear();
    expect((await e.get(list).expect(200)).body.trackedEntities.map(nameIn)).toEqual(['After']);
  });
});
