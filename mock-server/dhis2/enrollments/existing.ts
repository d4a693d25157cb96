import type { EntityStore } from '../../store/entity-store.js';
import type { EnrollmentStatus, StoredEnrollment, StoredEntity } from '../types.js';

/** Why a new enrollment may not exist beside the others (E1015 / E1016, legacy validateRequest). */
export type EnrollmentClash = 'active' | 'once';

/** An enrollment a write brings in, with what DHIS2 checked for it before inserting. */
export interface EnrollmentCheck {
  trackedEntity: string;
  program: string;
  enrollment: string;
  status: EnrollmentStatus;
  onlyEnrollOnce: boolean;
}

/** The entity's other live enrollments in the program. */
export function liveEnrollments(entity: Pick<StoredEntity, 'enrollments'> | undefined, program: string, exclude?: string): StoredEnrollment[] {
  return (entity?.enrollments ?? []).filter((e) => !e.deleted && e.program === program && e.uid !== exclude);
}

/**
 * The rule both importers check before they insert: one ACTIVE enrollment per (entity, program),
 * and with `onlyEnrollOnce` no other ACTIVE or COMPLETED one. A CANCELLED enrollment is never
 * refused. `atomic` mode re-checks it against the committed state at commit time.
 */
export function enrollmentClash(others: readonly { status: string }[], status: EnrollmentStatus, onlyEnrollOnce: boolean): EnrollmentClash | undefined {
  if (status === 'CANCELLED') return undefined;
  if (status === 'ACTIVE' && others.some((e) => e.status === 'ACTIVE')) return 'active';
  if (onlyEnrollOnce && others.some((e) => e.status === 'ACTIVE' || e.status === 'COMPLETED')) return 'once';
  return undefined;
}

/** The clash an enrollment check meets in the store as it is now. */
export function clashNow(store: EntityStore, check: EnrollmentCheck): EnrollmentClash | undefined {
  const entity = store.get(check.trackedEntity);
  return enrollmentClash(liveEnrollments(entity, check.program, check.enrollment), check.status, check.onlyEnrollOnce);
}
