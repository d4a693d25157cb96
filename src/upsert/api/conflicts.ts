/**
 * Which recoverable situation a rejected write is in. Legacy conflicts have no codes, so their
 * texts (spec §2.4, §2.8) are matched; tracker errors carry codes (§3.5).
 */
import type { Conflict } from '../../errors.js';

export type ConflictKind =
  /** Someone else holds the key value (legacy 'Non-unique attribute value', tracker E1064). */
  | 'non-unique'
  /** The UID belongs to a soft-deleted entity: it can never be used again. */
  | 'uid-deleted'
  /** The entity to update does not exist (any more). */
  | 'not-found'
  /**
   * A concurrent create with the same UID committed first and the database's unique constraint
   * on the UID rejected ours (spec §6: legacy "The import process failed: …", tracker
   * "Exception:…"). The entity now exists: re-search and update it.
   */
  | 'uid-taken'
  | 'other';

function kindOf(c: Conflict): ConflictKind {
  const code = c.errorCode;
  // E1002: a CREATE met an entity with that UID (a bulk create after a search that missed it)
  if (code === 'E1002' || /duplicate key value violates unique constraint|Key \(uid\)=\(\w+\) already exists/i.test(c.value)) return 'uid-taken';
  if (code === 'E1064' || /Non-unique attribute value/i.test(c.value)) return 'non-unique';
  if (code === 'E1114' || /already been deleted|already exists or was deleted earlier|is already deleted/i.test(c.value)) return 'uid-deleted';
  if (code === 'E1063' || /^Tracked ?entity( instance)? \S+ does not exist/i.test(c.value) || /^TrackedEntity(Instance)?: `[^`]*`, does not exist/.test(c.value)) {
    return 'not-found';
  }
  return 'other';
}

/** The one kind all conflicts share, or 'other' when they are mixed or unknown. */
export function classifyConflicts(conflicts: readonly Conflict[]): ConflictKind {
  if (conflicts.length === 0) return 'other';
  const kinds = new Set(conflicts.map(kindOf));
  return kinds.size === 1 ? [...kinds][0] : 'other';
}
