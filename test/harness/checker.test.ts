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
