/**
 * Deterministic UIDs for enrollments and events (uid.ts's frozen v1 scheme, own namespaces), so a
 * create repeated after a lost response meets its own earlier write instead of making a second
 * object. Derived from the entity UID the upsert resolved (adopted or created), never from the key
 * alone: an entity another system registered has a server-chosen UID.
 */
import { deterministicUid } from '../../uid.js';

/** The calendar day of a date or date-time: "2026-01-15" and "2026-01-15T00:00:00" are one enrollment. */
export const dayOf = (d: string): string => d.slice(0, 10);

/**
 * Entity + program; plus the enrollment day when the program allows enrolling again (not
 * onlyEnrollOnce), since each enrollment there is a separate episode. Later generations replace a
 * UID that was soft-deleted (DHIS2 never reuses one).
 */
export function enrollmentUid(entity: string, program: string, enrolledAt: string | undefined, generation = 0): string {
  const parts = [entity, program];
  if (enrolledAt !== undefined) parts.push('@enrolledAt', dayOf(enrolledAt));
  if (generation > 0) parts.push('@generation', String(generation));
  return deterministicUid('enrollment', ...parts);
}

/** Entity + stage + the source system's event key (trimmed; case kept: keys are the source's ids). */
export function eventUid(entity: string, programStage: string, key: string, generation = 0): string {
  const parts = [entity, programStage, key.trim()];
  if (generation > 0) parts.push('@generation', String(generation));
  return deterministicUid('event', ...parts);
}
