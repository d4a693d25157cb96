import { describe, expect, it } from 'vitest';
import { Journal, summariseBody, type CommitEntry, type RequestEntry } from '../../../mock-server/journal.js';
import type { StoredEntity } from '../../../mock-server/index.js';
import type { CommitEvent } from '../../../mock-server/store/entity-store.js';

function entity(uid: string, values: Record<string, string>, deleted = false): StoredEntity {
  return {
    uid, trackedEntityType: 'T', orgUnit: 'O', created: '', lastUpdated: '', inactive: false, deleted, potentialDuplicate: false,
    attributes: Object.entries(values).map(([attribute, value]) => ({ attribute, value, created: '', lastUpdated: '' })),
    enrollments: [], programOwners: [],
  } as unknown as StoredEntity;
}

function commit(seq: number, requestId: string, before: StoredEntity | null, after: StoredEntity): CommitEvent {
  return { seq, at: 0, uid: after.uid, operation: before ? (after.deleted ? 'delete' : 'update') : 'create', before, after, requestId };
}

const request = (requestId: string, path = '/api/trackedEntityInstances', query = '', extra: Partial<RequestEntry> = {}) =>
  ({ type: 'request', requestId, method: 'POST', path, query, bodyBytes: 0, ...extra }) as const;

describe('Journal (bounded, ordered)', () => {
  it('keeps the newest `limit` entries in order and counts what it evicted', () => {
    let now = 0;
    const j = new Journal(3, () => ++now);
    for (let i = 1; i <= 5; i++) j.add(request(`r${i}`));
    const view = j.query();
    expect(view.entries.map((e) => e.requestId)).toEqual(['r3', 'r4', 'r5']);
    expect(view.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(view.entries.map((e) => e.at)).toEqual([3, 4, 5]);
    expect(view).toMatchObject({ dropped: 2, limit: 3 });
    j.clear();
    expect(j.query()).toEqual({ entries: [], dropped: 0, limit: 3 });
  });

  it('records commits as attribute before/after and counts them per request', () => {
    const j = new Journal();
    j.recordCommit(commit(1, 'r1', null, entity('U1', { nid: 'A-1', name: 'Joe' })));
    j.recordCommit(commit(2, 'r2', entity('U1', { nid: 'A-1', name: 'Joe' }), entity('U1', { nid: 'A-1', name: 'Jo', phone: '1' })));
    j.recordCommit(commit(3, 'r2', entity('U1', { nid: 'A-1', name: 'Jo', phone: '1' }), entity('U1', { nid: 'A-1', name: 'Jo', phone: '1' }, true)));
    const commits = j.query({ types: ['commit'] }).entries as CommitEntry[];
    expect(commits.map((c) => [c.operation, c.deleted, c.commitSeq])).toEqual([
      ['create', false, 1],
      ['update', false, 2],
      ['delete', true, 3],
    ]);
    expect(commits[0].changes).toEqual([
      { attribute: 'nid', before: null, after: 'A-1' },
      { attribute: 'name', before: null, after: 'Joe' },
    ]);
    expect(commits[1].changes).toEqual([
      { attribute: 'name', before: 'Joe', after: 'Jo' },
      { attribute: 'phone', before: null, after: '1' },
    ]);
    expect([j.commitsOf('r1'), j.commitsOf('r2'), j.commitsOf('r3')]).toEqual([1, 2, 0]);
  });
});

describe('Journal.query filters', () => {
  function populated() {
    let now = 100;
    const j = new Journal(1000, () => (now += 10));
    j.add(request('r1', '/api/trackedEntityInstances', '', { bodyBytes: 10 }));
    j.recordCommit(commit(1, 'r1', null, entity('U1', { nid: 'Key-1' })));
    j.add({ type: 'response', requestId: 'r1', status: 200, summary: 'OK', durationMs: 1 });
    j.add(request('r2', '/api/trackedEntityInstances', 'filter=nid:EQ:key-1&ou=X'));
    j.add({ type: 'response', requestId: 'r2', status: 200, summary: 'trackedEntityInstances: 1', durationMs: 1 });
    j.add(request('r3', '/api/trackedEntityInstances/U2xxxxxxxx1'));
    j.add({ type: 'fault', requestId: 'r3', kind: 'error-after-commit', rule: 0, route: 'PUT /api/trackedEntityInstances/{uid}', ordinal: 1, committed: true });
    j.recordCommit(commit(2, 'r3', null, entity('U2xxxxxxxx1', { nid: 'Key-2' })));
    j.add(request('d1', '/api/trackedEntityInstances', '', { deliveryOf: 'r4', delivery: 1 }));
    j.add(request('r4'));
    j.recordCommit(commit(3, 'd1', null, entity('U3', { nid: 'Key-3' })));
    return j;
  }

  it('by time: since/until are inclusive epoch ms', () => {
    const j = populated();
    expect(j.query({ since: 120, until: 140 }).entries.map((e) => e.at)).toEqual([120, 130, 140]);
  });

  it('by UID: its commits, plus every entry of requests that wrote it or named it in the path', () => {
    const j = populated();
    expect(j.query({ uid: 'U1' }).entries.map((e) => `${e.type}:${e.requestId}`)).toEqual(['request:r1', 'commit:r1', 'response:r1']);
    expect(j.query({ uid: 'U2xxxxxxxx1' }).entries.map((e) => `${e.type}:${e.requestId}`)).toEqual(['request:r3', 'fault:r3', 'commit:r3']);
  });

  it('by attribute value (any case): commits that set it and requests that searched for it', () => {
    const j = populated();
    expect(j.query({ value: 'KEY-1' }).entries.map((e) => `${e.type}:${e.requestId}`)).toEqual([
      'request:r1',
      'commit:r1',
      'response:r1',
      'request:r2',
      'response:r2',
    ]);
  });

  it('a re-delivery’s commit brings its client request along', () => {
    const j = populated();
    expect(j.query({ value: 'Key-3' }).entries.map((e) => `${e.type}:${e.requestId}`)).toEqual(['request:d1', 'request:r4', 'commit:d1']);
    expect(j.query({ requestId: 'r4' }).entries.map((e) => e.requestId)).toEqual(['d1', 'r4']);
  });

  it('by entry type', () => {
    const j = populated();
    expect(j.query({ types: ['fault'] }).entries).toHaveLength(1);
    expect(j.query({ types: ['commit', 'fault'] }).entries).toHaveLength(4);
  });
});

describe('response summaries', () => {
  it.each([
    ['legacy ImportSummaries', { status: 'OK', message: 'Import was successful.', response: { imported: 1, updated: 0 } }, 'OK Import was successful. imported=1'],
    [
      'legacy conflict',
      { status: 'ERROR', message: 'An error occurred, please check import summary.', response: { ignored: 1, importSummaries: [{ conflicts: [{ value: "Non-unique attribute value 'X'" }] }] } },
      "ERROR An error occurred, please check import summary. ignored=1 Non-unique attribute value 'X'",
    ],
    ['tracker ImportReport', { status: 'ERROR', stats: { created: 0, ignored: 1 }, validationReport: { errorReports: [{ errorCode: 'E1064' }] } }, 'ERROR ignored=1 errors=E1064'],
    ['a list', { pager: {}, trackedEntityInstances: [{}, {}] }, 'trackedEntityInstances: 2'],
    ['an HTML page', '<html><head><title>502 Bad Gateway</title></head></html>', '502 Bad Gateway'],
  ])('%s', (_name, body, expected) => {
    expect(summariseBody(body)).toBe(expected);
  });
});
