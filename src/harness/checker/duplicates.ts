/** No duplicates: at a quiescent point at most one live entity carries the key (upsert.md). */
import type { DuplicateFinding } from '../findings.js';
import type { KeyView } from './key-view.js';

export function checkDuplicates(view: KeyView): DuplicateFinding[] {
  const before = new Set(view.initial.map((e) => e.uid));
  for (const at of ['after-main', 'final'] as const) {
    const live = at === 'after-main' ? view.afterMain : view.final;
    const created = live.filter((e) => !before.has(e.uid));
    // pre-existing duplicates are the ambiguity property's business; a run must not add to them
    if (live.length <= 1 || created.length === 0) continue;
    const ops = at === 'after-main' ? view.main : [...view.main, ...view.heal];
    const createdBy = ops.flatMap((op) => op.commits.filter((c) => c.operation === 'create' && created.some((e) => e.uid === c.uid)).map((c) => ({ uid: c.uid, op: op.id })));
    const involved = [...new Set(createdBy.map((c) => c.op))];
    return [
      {
        code: 'DUPLICATE',
        key: view.key,
        at,
        uids: live.map((e) => e.uid),
        createdBy,
        ops: involved.length > 0 ? involved : ops.map((o) => o.id),
        message: `${live.length} live entities carry key ${view.key} ${at === 'after-main' ? 'after the concurrent phase' : 'at the end'} (${live.map((e) => e.uid).join(', ')})${
          createdBy.length > 0 ? `; created by ${createdBy.map((c) => `op${c.op}→${c.uid}`).join(', ')}` : ''
        }.`,
      },
    ];
  }
  return [];
}
