/** The journal as the emulator fills it, and `GET /__admin/journal` with its filters. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS, type CommitEntry, type JournalEntry, type RequestEntry, type ResponseEntry } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

const A = DEMO_IDS.attributes;
const TET = DEMO_IDS.trackedEntityType;
const OU = DEMO_IDS.orgUnits.ngelehun;
const tei = (nid: string, name = 'Joe', uid?: string) => ({
  ...(uid ? { trackedEntityInstance: uid } : {}),
  trackedEntityType: TET,
  orgUnit: OU,
  attributes: [
    { attribute: A.nationalId, value: nid },
    { attribute: A.firstName, value: name },
  ],
});

describe('journal through the emulator', () => {
  it('records request, commit and response in order, under the X-Request-ID correlation id', async () => {
    const e = await emulator();
    const raw = JSON.stringify(tei('J-1', 'Joe', 'JrnlUid0001'));
    const res = await e.raw
      .post('/api/40/trackedEntityInstances.json?strategy=CREATE_AND_UPDATE')
      .set('Authorization', 'Basic ' + Buffer.from('admin:district').toString('base64'))
      .set('Content-Type', 'application/json')
      .send(raw);
    expect(res.status).toBe(200);
    const { entries } = e.mock.admin.journal();
    expect(entries.map((x) => x.type)).toEqual(['request', 'commit', 'response']);
    const [request, commit, response] = entries as [RequestEntry, CommitEntry, ResponseEntry];
    expect(new Set(entries.map((x) => x.requestId))).toEqual(new Set([res.headers['x-request-id']]));
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/40/trackedEntityInstances.json',
      query: 'strategy=CREATE_AND_UPDATE',
      user: 'admin',
      bodyBytes: Buffer.byteLength(raw),
      bodyHash: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    });
    expect(commit).toMatchObject({ uid: 'JrnlUid0001', operation: 'create', deleted: false, changes: [
      { attribute: A.nationalId, before: null, after: 'J-1' },
      { attribute: A.firstName, before: null, after: 'Joe' },
    ] });
    expect(response).toMatchObject({ status: 200, summary: 'OK Import was successful. imported=1' });
    expect(request.seq < commit.seq && commit.seq < response.seq).toBe(true);
    expect(request.at).toBeLessThanOrEqual(response.at);
  });

  it('records updates and deletes with attribute before/after', async () => {
    const e = await emulator();
    await e.post('/api/trackedEntityInstances', tei('J-2', 'Ann', 'JrnlUid0002')).expect(200);
    await e.put('/api/trackedEntityInstances/JrnlUid0002', { orgUnit: OU, attributes: [{ attribute: A.firstName, value: 'Anne' }] }).expect(200);
    await e.del('/api/trackedEntityInstances/JrnlUid0002').expect(200);
    const commits = e.mock.admin.journal({ uid: 'JrnlUid0002', types: ['commit'] }).entries as CommitEntry[];
    expect(commits.map((c) => [c.operation, c.deleted, c.changes])).toEqual([
      ['create', false, [{ attribute: A.nationalId, before: null, after: 'J-2' }, { attribute: A.firstName, before: null, after: 'Ann' }]],
      ['update', false, [{ attribute: A.firstName, before: 'Ann', after: 'Anne' }]],
      ['delete', true, []],
    ]);
  });

  it('records a refused request without a commit, and the unauthenticated user as absent', async () => {
    const e = await emulator();
    await e.post('/api/trackedEntityInstances', tei('J-3')).expect(200);
    await e.post('/api/trackedEntityInstances', tei('j-3')).expect(409);
    await e.raw.get('/api/me').set('Authorization', 'Basic ' + Buffer.from('admin:wrong').toString('base64')).expect(401);
    const { entries } = e.mock.admin.journal();
    const responses = entries.filter((x): x is ResponseEntry => x.type === 'response');
    expect(responses.map((r) => r.status)).toEqual([200, 409, 401]);
    expect(responses[1].summary).toContain("Non-unique attribute value 'j-3'");
    expect(entries.filter((x) => x.type === 'commit')).toHaveLength(1);
    const last = entries.filter((x): x is RequestEntry => x.type === 'request').at(-1)!;
    expect(last.user).toBeUndefined();
  });

  it('does not journal the admin API', async () => {
    const e = await emulator();
    await e.raw.get('/__admin/journal').expect(200);
    await e.raw.get('/__admin/invariants').expect(200);
    await e.raw.put('/__admin/config').send({ uniqueness: 'atomic' }).expect(200);
    expect(e.mock.admin.journal().entries).toEqual([]);
  });
});

describe('GET /__admin/journal', () => {
  async function seeded() {
    const e = await emulator();
    await e.post('/api/trackedEntityInstances', tei('F-1', 'A', 'FiltUid0001')).expect(200);
    await e.post('/api/trackedEntityInstances', tei('F-2', 'B', 'FiltUid0002')).expect(200);
    await e.get(`/api/trackedEntityInstances?ouMode=ACCESSIBLE&trackedEntityType=${TET}&filter=${A.nationalId}:EQ:f-2`).expect(200);
    return e;
  }
  const types = (entries: JournalEntry[]) => entries.map((x) => x.type).join(',');

  it.each([
    ['uid=FiltUid0001', 'request,commit,response'],
    ['value=F-2', 'request,commit,response,request,response'],
    ['type=commit', 'commit,commit'],
    ['type=request,response&value=f-1', 'request,response'],
  ])('?%s', async (query, expected) => {
    const e = await seeded();
    const res = await e.raw.get(`/__admin/journal?${query}`).expect(200);
    expect(types(res.body.entries)).toBe(expected);
    expect(res.body).toMatchObject({ dropped: 0, limit: 50000 });
  });

  it('filters by time, in epoch ms or ISO-8601', async () => {
    const e = await seeded();
    const all: JournalEntry[] = (await e.raw.get('/__admin/journal').expect(200)).body.entries;
    const cut = all[3].at;
    const since = (await e.raw.get(`/__admin/journal?since=${cut}`).expect(200)).body.entries as JournalEntry[];
    expect(since.every((x) => x.at >= cut)).toBe(true);
    expect(since.length).toBe(all.filter((x) => x.at >= cut).length);
    const iso = (await e.raw.get(`/__admin/journal?until=${new Date(cut).toISOString()}`).expect(200)).body.entries as JournalEntry[];
    expect(iso.length).toBe(all.filter((x) => x.at <= cut).length);
  });

  it.each([
    ['since=yesterday', '`since` and `until` are epoch milliseconds or ISO-8601'],
    ['type=commits', 'Unknown journal entry type commits: use request, response, commit, fault'],
  ])('rejects ?%s', async (query, message) => {
    const e = await emulator();
    const res = await e.raw.get(`/__admin/journal?${query}`).expect(400);
    expect(res.body.message).toContain(message);
  });

  it('is bounded: the oldest entries go first and `dropped` says how many', async () => {
    const e = await emulator({ journalLimit: 5 });
    for (let i = 0; i < 4; i++) await e.get('/api/me').expect(200);
    const res = await e.raw.get('/__admin/journal').expect(200);
    expect(res.body.entries).toHaveLength(5);
    expect(res.body).toMatchObject({ dropped: 3, limit: 5 });
    expect(res.body.entries[0].type).toBe('response');
  });

  it('reset clears it', async () => {
    const e = await seeded();
    expect(e.mock.admin.journal().entries.length).toBeGreaterThan(0);
    await e.raw.post('/__admin/reset').expect(200);
    const res = await e.raw.get('/__admin/journal').expect(200);
    expect(res.body).toEqual({ entries: [], dropped: 0, limit: 50000 });
  });
});
