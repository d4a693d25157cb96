/**
 * No lost attributes: an update never removes, or sets back, an attribute its record did not
 * mention (upsert.md). With the emulator's journal every commit is inspected; without one, the
 * end state must still hold every attribute some successful upsert or the old entity had.
 */
import type { LostAttributeFinding } from '../findings.js';
import type { HistoryOp } from '../history.js';
import { recordAttributes, type KeyView } from './key-view.js';

export function checkLostAttributes(view: KeyView): LostAttributeFinding[] {
  if (view.ambiguous) return [];
  return view.journalAvailable ? fromJournal(view) : fromSnapshots(view);
}

function fromJournal(view: KeyView): LostAttributeFinding[] {
  const out: LostAttributeFinding[] = [];
  const mine = [...view.main, ...view.heal];
  for (const op of mine) {
    // records of one key in one batch call are written together: what any of them mentions counts
    const mentioned = Object.assign({}, ...mine.filter((o) => (o.call ?? o.id) === (op.call ?? op.id)).map(recordAttributes)) as Record<string, string>;
    for (const commit of op.commits) {
      if (commit.operation !== 'update') continue;
      for (const ch of commit.changes) {
        if (ch.attribute in mentioned || ch.before === null) continue;
        out.push(finding(view, op, commit.uid, ch.attribute, ch.before, ch.after));
        break;
      }
    }
    if (out.length > 0) break; // the first loss tells the story; later ones are consequences
  }
  return out;
}

function fromSnapshots(view: KeyView): LostAttributeFinding[] {
  if (view.final.length !== 1) return [];
  const entity = view.final[0];
  const expected = new Map<string, string>(Object.entries(view.initial[0]?.attributes ?? {}));
  for (const op of [...view.main, ...view.heal]) if (op.outcome === 'ok') for (const [a, v] of Object.entries(recordAttributes(op))) expected.set(a, v);
  for (const [attribute, before] of expected) {
    if (entity.attributes[attribute] === undefined) return [finding(view, undefined, entity.uid, attribute, before, null)];
  }
  return [];
}

function finding(view: KeyView, op: HistoryOp | undefined, uid: string, attribute: string, before: string | null, after: string | null): LostAttributeFinding {
  const what = after === null ? `removed attribute ${attribute} (was ${JSON.stringify(before)})` : `set attribute ${attribute} from ${JSON.stringify(before)} back to ${JSON.stringify(after)}`;
  return {
    code: 'LOST_ATTRIBUTE',
    key: view.key,
    uid,
    attribute,
    before,
    after,
    ops: op ? [op.id] : [...view.main, ...view.heal].map((o) => o.id),
    message: `${op ? `op${op.id}'s update of ${uid}` : `The end state of ${uid}`} ${op ? what : `lost attribute ${attribute} (was ${JSON.stringify(before)})`}, which its record did not mention (key ${view.key}).`,
  };
}
