import { describe, expect, it } from 'vitest';
import { checkHistory, keyViews } from '../../src/harness/checker/index.js';
import { checkActions } from '../../src/harness/checker/actions.js';
import { checkAmbiguity } from '../../src/harness/checker/ambiguity.js';
import { checkConvergence } from '../../src/harness/checker/convergence.js';
import { checkDuplicates } from '../../src/harness/checker/duplicates.js';
import { checkIdempotency } from '../../src/harness/checker/idempotency.js';
import { checkLinearizability } from '../../src/harness/checker/linearizability.js';
import { checkLostAttributes } from '../../src/harness/checker/lost-attributes.js';
import type { History, HistoryOp } from '../../src/harness/history.js';
import { create, entity, FIRST, history, LAST, op } from './history-builder.js';

const view = (h: History) => keyViews(h)[0];

describe('checker: each property catches its bug and accepts the correct history', () => {
  const healOk = (id: number, t: number, uid = 'AAAAAAAAAA1', attrs = {}) => op({ id, phase: 'heal', invoke: t, complete: t + 1, uid, attrs });

  it.each([
    [
      'upsert.md "No duplicates": two creates of one key → DUPLICATE',
      history([op({ id: 0, invoke: 1, complete: 4, uid: 'AAAAAAAAAA1', commits: [create('AAAAAAAAAA1')] }), op({ id: 1, invoke: 2, complete: 3, uid: 'BBBBBBBBBB1', commits: [create('BBBBBBBBBB1')] })], {
        afterMain: [entity('AAAAAAAAAA1'), entity('BBBBBBBBBB1')],
      }),
      checkDuplicates,
      'DUPLICATE',
    ],
    [
      'upsert.md "Idempotency": ok upserts returning different UIDs → NOT_IDEMPOTENT',
      history([op({ id: 0, invoke: 1, complete: 2, uid: 'AAAAAAAAAA1' }), op({ id: 1, invoke: 3, complete: 4, uid: 'BBBBBBBBBB1' })], { afterMain: [entity('AAAAAAAAAA1')] }),
      checkIdempotency,
      'NOT_IDEMPOTENT',
    ],
    [
      'upsert.md "Idempotency": a fault-free repeat that fails → NOT_IDEMPOTENT',
      history([op({ id: 0, invoke: 1, complete: 2, uid: 'AAAAAAAAAA1' }), op({ id: 1, invoke: 3, complete: 4, outcome: 'fail' })], { afterMain: [entity('AAAAAAAAAA1')] }),
      checkIdempotency,
      'NOT_IDEMPOTENT',
    ],
    [
      'upsert.md "No lost attributes": an update that removes an unmentioned attribute → LOST_ATTRIBUTE',
      history([op({ id: 0, invoke: 1, complete: 2, commits: [{ uid: 'AAAAAAAAAA1', operation: 'update', changes: [{ attribute: LAST, before: 'Kamara', after: null }] }] })], {
        initial: [entity('AAAAAAAAAA1', { [LAST]: 'Kamara' })],
        afterMain: [entity('AAAAAAAAAA1')],
      }),
      checkLostAttributes,
      'LOST_ATTRIBUTE',
    ],
    [
      'upsert.md "No lost attributes" without a journal: the end state misses an attribute → LOST_ATTRIBUTE',
      history([op({ id: 0, invoke: 1, complete: 2 })], { initial: [entity('AAAAAAAAAA1', { [LAST]: 'Kamara' })], afterMain: [entity('AAAAAAAAAA1')] }, false),
      checkLostAttributes,
      'LOST_ATTRIBUTE',
    ],
    [
      'upsert.md "Ambiguity is safe": a write while two entities carry the key → AMBIGUITY_WRITE',
      history([op({ id: 0, invoke: 1, complete: 2, commits: [{ uid: 'AAAAAAAAAA1', operation: 'update', changes: [{ attribute: FIRST, before: 'Ama', after: 'Bintu' }] }] })], {
        initial: [entity('AAAAAAAAAA1'), entity('BBBBBBBBBB1')],
        afterMain: [entity('AAAAAAAAAA1', { [FIRST]: 'Bintu' }), entity('BBBBBBBBBB1')],
      }),
      checkAmbiguity,
      'AMBIGUITY_WRITE',
    ],
    [
      'upsert.md "Convergence": the heal upsert still fails after faults stop → NOT_CONVERGED',
      history([op({ id: 0, invoke: 1, complete: 2, outcome: 'unknown', fault: true }), op({ id: 1, phase: 'heal', invoke: 3, complete: 4, outcome: 'fail' })], { afterMain: [], final: [] }),
      checkConvergence,
      'NOT_CONVERGED',
    ],
    [
      'upsert.md "Convergence": the heal upsert reports ok but no entity carries the key → NOT_CONVERGED',
      history([healOk(0, 1)], { afterMain: [], final: [] }),
      checkConvergence,
      'NOT_CONVERGED',
    ],
    [
      'upsert.md "Per-key linearizability": a value no order produces (stale overwrite) → NON_LINEARIZABLE',
      // op0 sets last=Sesay, op1 (concurrent) mentions only first=Bintu; last=Kamara is nobody's
      history([op({ id: 0, invoke: 1, complete: 4, attrs: { [LAST]: 'Sesay' } }), op({ id: 1, invoke: 2, complete: 3, attrs: { [FIRST]: 'Bintu' } })], {
        initial: [entity('AAAAAAAAAA1', { [LAST]: 'Kamara' })],
        afterMain: [entity('AAAAAAAAAA1', { [FIRST]: 'Bintu', [LAST]: 'Kamara' })],
      }),
      checkLinearizability,
      'NON_LINEARIZABLE',
    ],
    [
      'upsert.md "Per-key linearizability": an ok upsert with no effect → NON_LINEARIZABLE',
      history([op({ id: 0, invoke: 1, complete: 2 })], { afterMain: [] }),
      checkLinearizability,
      'NON_LINEARIZABLE',
    ],
    [
      'upsert.md "Per-key linearizability": real time forbids the only explaining order → NON_LINEARIZABLE',
      // op0 completed before op1 began, so op1's Bintu must win; Ama is stale
      history([op({ id: 0, invoke: 1, complete: 2, attrs: { [FIRST]: 'Ama' } }), op({ id: 1, invoke: 3, complete: 4, attrs: { [FIRST]: 'Bintu' } })], {
        afterMain: [entity('AAAAAAAAAA1', { [FIRST]: 'Ama' })],
      }),
      checkLinearizability,
      'NON_LINEARIZABLE',
    ],
  ])('%s', (_name, h, property, code) => {
    const found = property(view(h));
    expect(found.map((f) => f.code)).toContain(code);
    expect(found[0].key).toBe('NID-0');
    expect(found[0].message.length).toBeGreaterThan(20);
  });

  it.each([
    [
      'two sequential upserts, one entity, same UID',
      history([op({ id: 0, invoke: 1, complete: 2, uid: 'AAAAAAAAAA1', commits: [create('AAAAAAAAAA1')] }), op({ id: 1, invoke: 3, complete: 4, uid: 'AAAAAAAAAA1' }), healOk(2, 5)], {
        afterMain: [entity('AAAAAAAAAA1')],
      }),
    ],
    [
      'concurrent upserts with different values: either value is linearizable',
      history(
        [op({ id: 0, invoke: 1, complete: 4, uid: 'AAAAAAAAAA1', attrs: { [FIRST]: 'Bintu' } }), op({ id: 1, invoke: 2, complete: 3, uid: 'AAAAAAAAAA1', attrs: { [LAST]: 'Sesay' } })],
        { afterMain: [entity('AAAAAAAAAA1', { [FIRST]: 'Bintu', [LAST]: 'Sesay' })] },
      ),
    ],
    [
      'an unknown outcome may not have happened',
      history([op({ id: 0, invoke: 1, complete: 2, outcome: 'unknown', fault: true }), op({ id: 1, phase: 'heal', invoke: 3, complete: 4, uid: 'AAAAAAAAAA1', attrs: { [FIRST]: 'Ama' } })], {
        afterMain: [],
        final: [entity('AAAAAAAAAA1')],
      }),
    ],
    [
      'an unknown outcome may have happened, even after it returned',
      history([op({ id: 0, invoke: 1, complete: 2, outcome: 'unknown', fault: true, attrs: { [LAST]: 'Sesay' } }), op({ id: 1, invoke: 3, complete: 4, attrs: { [FIRST]: 'Bintu' } })], {
        afterMain: [entity('AAAAAAAAAA1', { [FIRST]: 'Bintu', [LAST]: 'Sesay' })],
      }),
    ],
    [
      'ambiguous key: the upsert refuses and writes nothing',
      history([op({ id: 0, invoke: 1, complete: 2, outcome: 'fail' })], { initial: [entity('AAAAAAAAAA1'), entity('BBBBBBBBBB1')], afterMain: [entity('AAAAAAAAAA1'), entity('BBBBBBBBBB1')] }),
    ],
    [
      'a soft-deleted twin does not count as a duplicate',
      history([op({ id: 0, invoke: 1, complete: 2, uid: 'AAAAAAAAAA1', commits: [create('AAAAAAAAAA1')] })], { initial: [entity('BBBBBBBBBB1', {}, true)], afterMain: [entity('AAAAAAAAAA1'), entity('BBBBBBBBBB1', {}, true)] }),
    ],
  ])('accepts: %s', (_name, h) => {
    expect(checkHistory(h)).toEqual([]);
  });
});

describe('checker: a reported action is what the op committed (UNTRUE_ACTION), with the excuses a client really has', () => {
  const A = 'AAAAAAAAAA1';
  const write = (status: number, fault?: 'duplicate' | 'drop-after') => ({ method: 'POST', path: '/api/tracker', status, ...(fault ? { fault } : {}) });
  const withAction = (action: 'created' | 'updated' | 'unchanged', commits: HistoryOp['commits'], requests: HistoryOp['requests']) => {
    const o = op({ id: 0, invoke: 1, complete: 2, uid: A, commits });
    return { ...o, action, requests };
  };
  it.each([
    ['"created" with nothing committed', withAction('created', [], [write(409)]), true],
    ['"unchanged" after its own create landed and was answered', withAction('unchanged', [create(A)], [write(200)]), true],
    ['"unchanged" after its own create landed and the answer was lost: it knows it sent a write', withAction('unchanged', [create(A)], [write(0, 'drop-after')]), true],
    ['"updated" after its own create landed and the answer was lost: a fair guess', withAction('updated', [create(A)], [write(0, 'drop-after')]), false],
    ['"unchanged" after a proxy delivered its create twice and showed "UID taken": a fair guess', withAction('unchanged', [create(A)], [write(409, 'duplicate')]), false],
    ['"created" for its create, answered', withAction('created', [create(A)], [write(200)]), false],
  ] as const)('%s', (_name, o, untrue) => {
    const found = checkActions(view(history([o as HistoryOp], { afterMain: [entity(A)] })));
    expect(found.map((f) => f.code)).toEqual(untrue ? ['UNTRUE_ACTION'] : []);
  });
});

describe('checker: who is to blame for a duplicate of another system\'s entity', () => {
  const other = { ...op({ id: 0, invoke: 1, complete: 2, uid: 'AAAAAAAAAA1', commits: [create('AAAAAAAAAA1')] }), actor: 'other' as const };
  const mine = (requests: HistoryOp['requests']) => ({ ...op({ id: 1, invoke: 3, complete: 4, uid: 'BBBBBBBBBB1', commits: [create('BBBBBBBBBB1')] }), requests });
  const search = (fault?: 'stale') => ({ method: 'GET', path: '/api/trackedEntityInstances', status: 200, ...(fault ? { fault } : {}) });
  const after = { afterMain: [entity('AAAAAAAAAA1'), entity('BBBBBBBBBB1')] };
  it.each([
    ['it existed when the op began and its search answered truly: the op should have found it', mine([search()]), true],
    ['it existed, but the op\'s search was answered from a lagging replica (stale): no client could see it', mine([search('stale')]), false],
  ] as const)('%s', (_name, o, blamed) => {
    const found = checkDuplicates(view(history([other, o as HistoryOp], after)));
    expect(found.map((f) => f.code)).toEqual(blamed ? ['DUPLICATE'] : []);
  });
});

describe('checker: enrollments and events (issue 17) — duplicates and lost data values judged by what the ops asked for', () => {
  const CHILD = 'IpHINAT79UW';
  const TB = 'ur1Edk5Oe2n';
  const BIRTH = 'A03MvHHogjR';
  const POSTNATAL = 'ZzYYXq4fJie';
  const WEIGHT = 'GQY2lXrypjO';
  const FEEDING = 'X8zyunlgUfM';
  const TE = 'AAAAAAAAAA1';
  type Visit = { stage: string; key: string; values: Record<string, string> };
  const jobOp = (id: number, invoke: number, complete: number, program: string, visits: Visit[], outcome: 'ok' | 'fail' | 'unknown' = 'ok') => {
    const o = op({ id, invoke, complete, outcome, uid: TE });
    o.record.enrollments = [
      { program, enrolledAt: '2024-01-15', events: visits.map((v) => ({ programStage: v.stage, key: v.key, occurredAt: '2024-01-20', dataValues: Object.entries(v.values).map(([dataElement, value]) => ({ dataElement, value })) })) },
    ];
    return o;
  };
  const enr = (uid: string, program: string, status = 'ACTIVE') => ({ uid, trackedEntity: TE, program, status, deleted: false });
  const ev = (uid: string, stage: string, values: Record<string, string>, deleted = false) => ({ uid, trackedEntity: TE, enrollment: 'EnrAAAAAAA1', program: CHILD, programStage: stage, deleted, dataValues: values });
  const jobHistory = (ops: HistoryOp[], jobs: NonNullable<History['jobs']>) => ({ ...history(ops, { afterMain: [entity(TE)] }), jobs });
  const v1 = { stage: POSTNATAL, key: 'visit-1', values: { [WEIGHT]: '4100' } };
  const v2 = { stage: POSTNATAL, key: 'visit-2', values: { [WEIGHT]: '4300' } };

  it.each<[string, History, string[]]>([
    ['two ACTIVE enrollments in one program → DUPLICATE_ENROLLMENT', jobHistory([jobOp(0, 1, 2, TB, [])], { enrollments: [enr('EnrAAAAAAA1', TB), enr('EnrBBBBBBB1', TB)], events: [] }), ['DUPLICATE_ENROLLMENT']],
    ['a completed and an active enrollment in an only-enroll-once program → DUPLICATE_ENROLLMENT', jobHistory([jobOp(0, 1, 2, CHILD, [])], { enrollments: [enr('EnrAAAAAAA1', CHILD, 'COMPLETED'), enr('EnrBBBBBBB1', CHILD)], events: [] }), ['DUPLICATE_ENROLLMENT']],
    ['a completed and an active enrollment where re-enrolling is allowed: fine', jobHistory([jobOp(0, 1, 2, TB, [])], { enrollments: [enr('EnrAAAAAAA1', TB, 'COMPLETED'), enr('EnrBBBBBBB1', TB)], events: [] }), []],
    ['a soft-deleted second enrollment: fine', jobHistory([jobOp(0, 1, 2, TB, [])], { enrollments: [enr('EnrAAAAAAA1', TB), { ...enr('EnrBBBBBBB1', TB), deleted: true }], events: [] }), []],
    ['one visit asked twice, two live events in a repeatable stage → DUPLICATE_EVENT', jobHistory([jobOp(0, 1, 2, CHILD, [v1]), jobOp(1, 3, 4, CHILD, [v1])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' }), ev('EvtBBBBBBB1', POSTNATAL, { [WEIGHT]: '4100' })] }), ['DUPLICATE_EVENT']],
    ['two visits asked, two live events: fine', jobHistory([jobOp(0, 1, 2, CHILD, [v1, v2])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' }), ev('EvtBBBBBBB1', POSTNATAL, { [WEIGHT]: '4300' })] }), []],
    ['two visits asked, but two events share one source visit id → DUPLICATE_EVENT', jobHistory([jobOp(0, 1, 2, CHILD, [v1, v2])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100', SrcVisitId1: 'visit-1' }), ev('EvtBBBBBBB1', POSTNATAL, { [WEIGHT]: '4300', SrcVisitId1: 'visit-1' })] }), ['DUPLICATE_EVENT']],
    ['a soft-deleted extra event: fine', jobHistory([jobOp(0, 1, 2, CHILD, [v1])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' }), ev('EvtBBBBBBB1', POSTNATAL, { [WEIGHT]: '4100' }, true)] }), []],
    ['two events in the non-repeatable Birth stage → DUPLICATE_EVENT', jobHistory([jobOp(0, 1, 2, CHILD, [{ stage: BIRTH, key: 'visit-1', values: {} }, { stage: BIRTH, key: 'visit-2', values: {} }])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', BIRTH, {}), ev('EvtBBBBBBB1', BIRTH, {})] }), ['DUPLICATE_EVENT']],
    ['a later op changes one value, the end keeps the earlier one → LOST_DATA_VALUE', jobHistory([jobOp(0, 1, 2, CHILD, [v1]), jobOp(1, 3, 4, CHILD, [{ ...v1, values: { [WEIGHT]: '4300' } }])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' })] }), ['LOST_DATA_VALUE']],
    ['an update that does not mention a value drops it → LOST_DATA_VALUE', jobHistory([jobOp(0, 1, 2, CHILD, [{ ...v1, values: { [WEIGHT]: '4100', [FEEDING]: 'Mixed' } }]), jobOp(1, 3, 4, CHILD, [v1])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' })] }), ['LOST_DATA_VALUE']],
    ['two visits the same day merged into one event → LOST_DATA_VALUE (the first visit\'s values)', jobHistory([jobOp(0, 1, 2, CHILD, [v1]), jobOp(1, 3, 4, CHILD, [v2])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4300' })] }), ['LOST_DATA_VALUE']],
    ['concurrent writes of one value: either end value is fine', jobHistory([jobOp(0, 1, 4, CHILD, [v1]), jobOp(1, 2, 3, CHILD, [{ ...v1, values: { [WEIGHT]: '4300' } }])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' })] }), []],
    ['a later write of unknown outcome: either end value is fine', jobHistory([jobOp(0, 1, 2, CHILD, [v1]), jobOp(1, 3, 4, CHILD, [{ ...v1, values: { [WEIGHT]: '4300' } }], 'unknown')], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' })] }), []],
    ['a later definite failure changes nothing: the earlier value must stay', jobHistory([jobOp(0, 1, 2, CHILD, [v1]), jobOp(1, 3, 4, CHILD, [{ ...v1, values: { [WEIGHT]: '4300' } }], 'fail')], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' })] }), []],
    ['no job snapshot (records without enrollments): the job checks stay silent', history([op({ id: 0, invoke: 1, complete: 2, uid: TE })], { afterMain: [entity(TE)] }), []],
  ])('%s', (_name, h, expected) => {
    const codes = checkHistory(h).map((f) => f.code).filter((c) => ['DUPLICATE_ENROLLMENT', 'DUPLICATE_EVENT', 'LOST_DATA_VALUE'].includes(c));
    expect(codes).toEqual(expected);
  });

  it('LOST_DATA_VALUE names the visit, the data element, the expected and the actual value', () => {
    const h = jobHistory([jobOp(0, 1, 2, CHILD, [{ ...v1, values: { [WEIGHT]: '4100', [FEEDING]: 'Mixed' } }]), jobOp(1, 3, 4, CHILD, [v1])], { enrollments: [enr('EnrAAAAAAA1', CHILD)], events: [ev('EvtAAAAAAA1', POSTNATAL, { [WEIGHT]: '4100' })] });
    const [f] = checkHistory(h).filter((x) => x.code === 'LOST_DATA_VALUE');
    expect(f).toMatchObject({ eventKey: 'visit-1', dataElement: FEEDING, expected: 'Mixed', actual: null, event: 'EvtAAAAAAA1', ops: [0, 1] });
  });
});
