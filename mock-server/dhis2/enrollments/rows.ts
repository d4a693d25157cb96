import type { EntityStore } from '../../store/entity-store.js';
import type { StoredEnrollment } from '../types.js';

/** An enrollment as the admin API lists it: the stored row plus the entity it belongs to. */
export type EnrollmentRow = StoredEnrollment & { trackedEntity: string };

/** Every stored enrollment (soft-deleted included), with its tracked entity's UID. */
export function enrollmentRows(store: EntityStore): EnrollmentRow[] {
  const rows: EnrollmentRow[] = [];
  for (const { entity, enrollment } of store.allEnrollments()) rows.push({ ...enrollment, trackedEntity: entity.uid });
  return rows;
}
