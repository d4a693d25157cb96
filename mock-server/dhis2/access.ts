import type { MetadataIndex } from './metadata-index.js';
import type { User } from './types.js';

/** Capture and search scopes of a user (spec §2.2 ouMode, §5 /api/me). */
export function isSuperuser(user: User): boolean {
  return user.authorities.includes('ALL');
}

export function searchRoots(user: User): string[] {
  return user.teiSearchOrganisationUnits.length > 0 ? user.teiSearchOrganisationUnits : user.organisationUnits;
}

export function canCapture(meta: MetadataIndex, user: User, orgUnit: string): boolean {
  return meta.isWithinAny(orgUnit, user.organisationUnits);
}

export function canSearch(meta: MetadataIndex, user: User, orgUnit: string): boolean {
  return meta.isWithinAny(orgUnit, searchRoots(user));
}

export function hasAuthority(user: User, authority: string): boolean {
  return isSuperuser(user) || user.authorities.includes(authority);
}
