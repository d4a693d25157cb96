/**
 * No duplicates: at a quiescent point at most one live entity carries the key (upsert.md). The
 * implementation is to blame when it created one of them while another holder already existed
 * when that operation started (it should have found it), or when it created two. A holder that
 * another system registered concurrently, or earlier but hidden from the op by a stale search, is
 * a race no client can win, and pre-existing duplicates are the ambiguity property's business.
 */
import type { DuplicateFinding } from '../findings.js';
import type { HistoryOp } from '../history.js';
import { whenOf, type KeyView } from './key-view.js';

export function checkDuplicates(view: KeyView): DuplicateFinding[] {
  const before = new Set(view.initial.map((e) => e.uid));
  const mine = new Set([...view.main, ...view.heal]);
  for (const at of ['after-main', 'final'] as const) {
    const live = at === 'after-main' ? view.afterMain : view.final;
    if (live.length <= 1) continue;
    const creator = (uid: string): HistoryOp | undefined => view.world.creators.get(uid);
    // without a journal every new holder counts as the implementation's
    const byImpl = live.filter((e) => !before.has(e.uid) && (!view.journalAvailable || (creator(e.uid) !== undefined && mine.has(creator(e.uid)!))));
    if (byImpl.length === 0) continue;
    const existedBefore = (holder: string, op: HistoryOp | undefined): boolean => {
      if (before.has(holder)) return true;
      const c = creator(holder);
      if (c === undefined || op === undefined || c.complete >= op.invoke) return false;
      // another system's entity is visible only to a search; one answered from a lagging replica
      // cannot show it, and no client can do better (its own earlier creates it finds by UID)
      if (c.actor === 'other' && op.requests.some((r) => r.fault === 'stale')) return false;
      return true;
    };
    const blamed =
      byImpl.length >= 2 || !view.journalAvailable || byImpl.some((e) => live.some((h) => h.uid !== e.uid && existedBefore(h.uid, creator(e.uid))));
    if (!blamed) continue;
    const createdBy = live.flatMap((e) => {
      const c = creator(e.uid);
      return c ? [{ uid: e.uid, op: c.id }] : [];
    });
    const involved = [...new Set(createdBy.map((c) => c.op))];
    const ops = at === 'after-main' ? view.main : [...view.main, ...view.heal];
    return [
      {
        code: 'DUPLICATE',
        key: view.key,
        at,
        uids: live.map((e) => e.uid),
        createdBy,
        ops: involved.length > 0 ? involved : ops.map((o) => o.id),
        message: `${live.length} live entities carry key ${view.key}${view.scope ? ` at ${view.scope}` : ''} ${whenOf(at)} (${live.map((e) => e.uid).join(', ')})${
          createdBy.length > 0 ? `; created by ${createdBy.map((c) => `${view.others.some((o) => o.id === c.op) ? 'the other system' : ''} op${c.op}→${c.uid}`.trim()).join(', ')}` : ''
        }.`,
      },
    ];
  }
  return [];
}
