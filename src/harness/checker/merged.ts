/**
 * No merged patients: an upsert only ever writes into an entity that carries its own key (for an
 * org-unit-scoped key, registered at its own facility). Updating another patient's entity with
 * this record's data merges two people into one, silently: the other patient's record is gone.
 * Needs the journal (which operation committed what).
 */
import type { MergedFinding } from '../findings.js';
import type { HistoryOp } from '../history.js';
import { sameKey, type KeyView } from './key-view.js';

/** The key and registration org unit an entity had before `op` wrote to it, if the history knows. */
function ownerBefore(view: KeyView, uid: string): { key: string; orgUnit: string } | undefined {
  const initial = view.world.initial.find((e) => e.uid === uid);
  if (initial) {
    const key = initial.attributes[view.keyAttribute];
    return key === undefined ? undefined : { key, orgUnit: initial.orgUnit };
  }
  const creator: HistoryOp | undefined = view.world.creators.get(uid);
  return creator ? { key: creator.keyValue, orgUnit: creator.record.orgUnit } : undefined;
}

export function checkMerged(view: KeyView): MergedFinding[] {
  if (!view.journalAvailable) return [];
  for (const op of [...view.main, ...view.heal]) {
    for (const commit of op.commits) {
      if (commit.operation !== 'update') continue;
      const owner = ownerBefore(view, commit.uid);
      if (!owner) continue;
      const otherKey = !sameKey(owner.key, op.keyValue);
      const otherFacility = op.keyScope !== undefined && owner.orgUnit !== op.keyScope;
      if (!otherKey && !otherFacility) continue;
      const whose = otherKey ? `key ${owner.key}` : `key ${owner.key} registered at ${owner.orgUnit}`;
      return [
        {
          code: 'MERGED',
          key: view.key,
          uid: commit.uid,
          owner: { key: owner.key, ...(otherFacility ? { orgUnit: owner.orgUnit } : {}) },
          changes: commit.changes,
          ops: [op.id],
          message: `op${op.id} upserting key ${view.key}${op.keyScope ? ` at ${op.keyScope}` : ''} wrote into ${commit.uid}, the entity of ${whose}${
            commit.changes.length ? ` (${commit.changes.map((c) => `${c.attribute}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join(', ')})` : ''
          }: two patients merged into one.`,
        },
      ];
    }
  }
  return [];
}
