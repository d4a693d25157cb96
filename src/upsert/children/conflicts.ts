/**
 * Which recoverable situation a rejected enrollment or event write is in. Tracker errors carry
 * codes (spec §3.5); legacy ones only texts (AbstractEnrollmentService, the dxf2 event importer's
 * checks), matched here.
 */
import type { Conflict } from '../../errors.js';

export type ChildConflictKind =
  /**
   * The UID exists (a concurrent or earlier create committed: E1080, E1030, the legacy "already
   * exists or was deleted earlier", the uid constraint "Key (uid)=(…) already exists"): re-read it.
   * Legacy uses one text for "exists" and "was deleted": a re-read that finds nothing tells them apart.
   */
  | 'exists'
  /** legacy "… already exists or was deleted earlier": 'exists' unless a re-read finds nothing */
  | 'exists-or-deleted'
  /** The UID belongs to a soft-deleted object (E1113, E1082): it can never be used again. */
  | 'deleted'
  /**
   * Another object holds the slot: an active enrollment (E1015), any enrollment of an only-once
   * program (E1016), an event of a non-repeatable stage (E1039): look again and adopt it.
   */
  | 'occupied'
  /** The object to update is gone (E1032, E1081, legacy "doesn't point to valid event"): look again. */
  | 'not-found'
  | 'other';

function kindOf(c: Conflict): ChildConflictKind {
  const code = c.errorCode;
  const v = c.value ?? '';
  if (code === 'E1113' || code === 'E1082' || /is already deleted and cannot be modified|was already used and\/or deleted/i.test(v)) return 'deleted';
  if (/already exists or was deleted earlier/i.test(v)) return 'exists-or-deleted';
  if (code === 'E1080' || code === 'E1030' || code === 'E1002' || /duplicate key value violates unique constraint|Key \(uid\)=\(\w+\) already exists/i.test(v)) {
    return 'exists';
  }
  if (code === 'E1015' || code === 'E1016' || code === 'E1039') return 'occupied';
  if (/already has an active( or completed)? enrollment in program|Program stage is not repeatable and an event already exists/i.test(v)) return 'occupied';
  if (code === 'E1032' || code === 'E1081' || /doesn't point to valid event|doesn't point to a valid enrollment/i.test(v)) return 'not-found';
  return 'other';
}

/** One kind for all conflicts: 'occupied' wins over 'exists' (E1015 comes with E1016), else mixed = 'other'. */
export function classifyChildConflicts(conflicts: readonly Conflict[]): ChildConflictKind {
  if (conflicts.length === 0) return 'other';
  const kinds = new Set(conflicts.map(kindOf));
  if (kinds.size === 1) return [...kinds][0];
  if ([...kinds].every((k) => k === 'occupied' || k === 'exists' || k === 'exists-or-deleted')) return 'exists';
  return 'other';
}
