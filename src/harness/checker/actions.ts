/**
 * True actions: what an upsert reports it did (`created`, `updated`, `unchanged`) is what its
 * requests committed, per the journal. A job's log and its counts ("12 created, 3 updated") are
 * what operators act on; an upsert that says "created" for a record someone else created, or
 * "unchanged" for one it just created, misleads them.
 */
import type { UntrueActionFinding } from '../findings.js';
import type { KeyView } from './key-view.js';

export function checkActions(view: KeyView): UntrueActionFinding[] {
  if (!view.journalAvailable) return [];
  for (const op of [...view.main, ...view.heal]) {
    if (op.outcome !== 'ok' || op.action === undefined) continue;
    // records of one key in one batch call share one write (the bulk path merges them)
    const sharing = [...view.main, ...view.heal].filter((o) => (o.call ?? o.id) === (op.call ?? op.id));
    const writes = sharing.flatMap((o) => o.commits).filter((c) => op.uid === undefined || c.uid === op.uid);
    const created = writes.some((c) => c.operation === 'create');
    const truthful = op.action === 'created' ? created : op.action === 'updated' ? writes.length > 0 && !created : writes.length === 0;
    if (truthful) continue;
    // When the answer to a write was lost, the client cannot tell "created" from "updated" (or from
    // "someone else did it"): either claim is a fair guess; "unchanged" is not, it knows it sent a
    // write that may have landed. When a proxy delivered a write twice and showed the client the
    // second answer ("that UID is taken"), the client saw a rejection of a write that did land:
    // every claim is a fair guess, "unchanged" included.
    const writesOf = sharing.flatMap((o) => o.requests.filter((r) => r.method !== 'GET'));
    if (writesOf.some((r) => r.fault === 'duplicate')) continue;
    const hidden = writesOf.some((r) => r.status === 0 || (r.status ?? 0) >= 500);
    if (hidden && op.action !== 'unchanged') continue;
    const did = writes.length === 0 ? 'committed nothing' : `committed ${writes.map((c) => `${c.operation} of ${c.uid}`).join(', ')}`;
    return [
      {
        code: 'UNTRUE_ACTION',
        key: view.key,
        reported: op.action,
        committed: writes.map((c) => ({ uid: c.uid, operation: c.operation })),
        ops: [op.id],
        message: `op${op.id} reported '${op.action}' for key ${view.key}${op.uid ? ` (${op.uid})` : ''}, but its requests ${did}.`,
      },
    ];
  }
  return [];
}
