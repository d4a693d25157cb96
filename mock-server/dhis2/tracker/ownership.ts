import { hasOwnershipAccess, programOwner } from '../enrollments/ownership.js';
import type { Program } from '../types.js';
import type { Dhis2Version } from '../versions.js';
import { err, type ImportRun, type TrackerError, type TrackerType } from './types.js';

/**
 * Before DHIS2-17280 an enrollment of an entity that has no owner in the program yet was not
 * ownership-checked at all (getOwnerOrganisationUnit returned null), so a user could enroll, and
 * through the enrollment's attributes overwrite, an entity registered outside their scope. The
 * fix falls back to the entity's registration org unit. Merged May 2024 into master, 2.41.0,
 * 2.40 and 2.39 (PRs #17276, #17309, #17333, #17387); the first patch releases after the merges
 * are inferred: 2.39.6, 2.40.5, 2.41.0. 2.36–2.38 never got it.
 */
export function ownershipFallsBackToEntity(v: Dhis2Version): boolean {
  if (v.minor === 39) return v.atLeast('2.39.6');
  if (v.minor === 40) return v.atLeast('2.40.5');
  return v.minor >= 41;
}

/** Where a tracked entity of the payload or the store is registered, and its program owners. */
export function entityFacts(run: ImportRun, teUid: string): { orgUnit?: string; owners: { program: string; orgUnit: string }[] } {
  const stored = run.ctx.store.get(teUid);
  const payload = run.teByUid.get(teUid);
  return { orgUnit: stored?.orgUnit ?? payload?.orgUnit, owners: stored?.programOwners ?? [] };
}

/**
 * E1102 (SecurityOwnershipValidator.checkTeTypeAndTeProgramAccess): the user must have access to
 * the entity's owner org unit in the program. `fallback` says whether an entity without an owner
 * in the program is judged by its registration org unit (enrollments after DHIS2-17280) or not
 * checked at all (events; enrollments before the fix).
 */
export function ownershipErrors(run: ImportRun, type: TrackerType, uid: string, teUid: string, program: Program, fallback: boolean): TrackerError[] {
  const facts = entityFacts(run, teUid);
  const owner = programOwner({ programOwners: facts.owners }, program.id) ?? (fallback ? facts.orgUnit : undefined);
  if (!owner || hasOwnershipAccess(run.ctx.meta, run.user, program, owner)) return [];
  return [err(type, uid, 'E1102', run.user.id, teUid, program.id)];
}
