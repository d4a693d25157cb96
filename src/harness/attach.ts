/**
 * From the emulator's journal to the operations: every entry of a request goes to the call that
 * sent it (a proxy's second delivery to the call of the request it copies), and each commit to the
 * op of that call whose patient it wrote (a batch call writes several). Then what each op's
 * requests committed decides what an error means: nothing committed is a definite failure.
 */
import type { JournalEntry } from '../../mock-server/index.js';
import type { EntitySnapshot, HistoryOp } from './history.js';
import { sameKey } from './keys.js';

/** Which op of a batch call a commit of `uid` belongs to: the one whose key the entity carries. */
function ownerOf(ops: readonly HistoryOp[], uid: string, changes: { attribute: string; before: string | null; after: string | null }[], keyAttribute: string, where: ReadonlyMap<string, EntitySnapshot>): HistoryOp {
  if (ops.length === 1) return ops[0];
  const key = changes.find((c) => c.attribute === keyAttribute);
  const value = key?.after ?? key?.before ?? where.get(uid)?.attributes[keyAttribute];
  const orgUnit = where.get(uid)?.orgUnit;
  const mine = ops.filter((o) => value !== undefined && value !== null && sameKey(o.keyValue, value) && (o.keyScope === undefined || o.keyScope === orgUnit));
  // the last record of the key wins inside a batch, as it would one by one
  return mine[mine.length - 1] ?? ops[0];
}

export interface AttachOptions {
  callOfRequest(requestId: string): number | undefined;
  keyAttribute: string;
  /** the entities as last seen (for the org unit of a scoped key) */
  entities: readonly EntitySnapshot[];
}

export function attachJournal(ops: readonly HistoryOp[], entries: readonly JournalEntry[], o: AttachOptions): void {
  const byCall = new Map<number, HistoryOp[]>();
  for (const op of ops) {
    const call = op.call ?? op.id;
    byCall.set(call, [...(byCall.get(call) ?? []), op]);
  }
  const parent = new Map<string, string>();
  for (const e of entries) if (e.type === 'request' && e.deliveryOf) parent.set(e.requestId, e.deliveryOf);
  const where = new Map(o.entities.map((e) => [e.uid, e]));
  // the emulator keeps enrollments inside their entity's record, so an enrollment write re-commits
  // the entity: with no attribute changed, that commit is the enrollment's, not an entity update
  const enrolled = new Set(entries.flatMap((e) => (e.type === 'commit' && e.kind === 'enrollment' && e.requestId ? [`${e.requestId}/${e.trackedEntity}`] : [])));
  for (const e of entries) {
    if (!('requestId' in e) || !e.requestId) continue;
    const call = o.callOfRequest(e.requestId) ?? o.callOfRequest(parent.get(e.requestId) ?? '');
    const members = call === undefined ? undefined : byCall.get(call);
    if (!members) continue;
    for (const op of members) op.journal.push(e);
    // the entity checks read tracked-entity commits; an enrollment's or event's stays in the journal
    if (e.type === 'commit' && (e.kind === undefined || e.kind === 'trackedEntity')) {
      if (e.operation === 'update' && e.changes.length === 0 && enrolled.has(`${e.requestId}/${e.uid}`)) continue;
      ownerOf(members, e.uid, e.changes, o.keyAttribute, where).commits.push({ uid: e.uid, operation: e.operation, changes: e.changes, requestId: e.requestId });
    }
  }
}

/**
 * What the journal says each op did: `applied` is whether its requests committed anything. An error
 * that does not say whether it wrote (no `outcomeUnknown` flag) is a definite failure when nothing
 * committed; a failure that did commit (a 409 after a twice-delivered write) is not definite.
 */
export function settleOutcomes(ops: readonly HistoryOp[]): void {
  const callSize = new Map<number, number>();
  for (const op of ops) callSize.set(op.call ?? op.id, (callSize.get(op.call ?? op.id) ?? 0) + 1);
  for (const op of ops) {
    // a single call owns every commit of its requests (enrollments and events too); a batch's are shared out by key
    op.applied = op.commits.length > 0 || (callSize.get(op.call ?? op.id) === 1 && op.journal.some((e) => e.type === 'commit'));
    if (op.outcome === 'ok') continue;
    if (op.applied) {
      if (op.outcome === 'fail') op.outcome = 'unknown';
      continue;
    }
    if (op.error?.outcomeUnknown === undefined && !op.timedOut) op.outcome = 'fail';
  }
}
