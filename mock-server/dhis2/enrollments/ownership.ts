import { canCapture, canSearch, isSuperuser } from '../access.js';
import type { MetadataIndex } from '../metadata-index.js';
import type { Program, StoredEntity, User } from '../types.js';

/** The org unit that owns the entity in the program (trackedentityprogramowner), if one was assigned. */
export function programOwner(entity: Pick<StoredEntity, 'programOwners'> | undefined, program: string): string | undefined {
  return entity?.programOwners.find((o) => o.program === program)?.orgUnit;
}

/**
 * TrackerOwnershipManager.hasAccess: superusers skip the check; an OPEN or AUDITED program needs
 * the owner org unit inside the user's search scope, a PROTECTED or CLOSED one inside the capture
 * scope (temporary "break the glass" access is not modelled).
 */
export function hasOwnershipAccess(meta: MetadataIndex, user: User, program: Program, ownerOrgUnit: string): boolean {
  if (isSuperuser(user) || program.programType === 'WITHOUT_REGISTRATION') return true;
  const level = program.accessLevel ?? 'OPEN';
  return level === 'PROTECTED' || level === 'CLOSED' ? canCapture(meta, user, ownerOrgUnit) : canSearch(meta, user, ownerOrgUnit);
}
