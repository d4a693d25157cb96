import type { EntityStore } from '../../store/entity-store.js';
import type { MetadataIndex } from '../metadata-index.js';

/** Live enrollments of one entity in one program that DHIS2 would never let exist together. */
export interface DuplicateEnrollmentGroup {
  trackedEntity: string;
  program: string;
  /**
   * `multipleActive`: more than one ACTIVE enrollment (DHIS2 allows one per entity and program);
   * `onlyEnrollOnce`: more than one ACTIVE or COMPLETED enrollment in a program that allows one.
   */
  reason: 'multipleActive' | 'onlyEnrollOnce';
  /** sorted */
  enrollments: string[];
}

/**
 * Duplicate enrollments among live ones (neither the enrollment nor its entity soft-deleted): what
 * the active-enrollment check (E1015/E1016, legacy validateRequest) exists to prevent, and what a
 * check-then-insert race leaves behind. A group is reported once, under its strongest reason.
 */
export function duplicateEnrollments(meta: MetadataIndex, store: EntityStore): DuplicateEnrollmentGroup[] {
  const groups: DuplicateEnrollmentGroup[] = [];
  for (const entity of store.all()) {
    if (entity.deleted || entity.enrollments.length < 2) continue;
    const byProgram = new Map<string, { uid: string; status: string }[]>();
    for (const e of entity.enrollments) if (!e.deleted) byProgram.set(e.program, [...(byProgram.get(e.program) ?? []), e]);
    for (const [program, list] of byProgram) {
      const active = list.filter((e) => e.status === 'ACTIVE');
      const held = list.filter((e) => e.status === 'ACTIVE' || e.status === 'COMPLETED');
      if (active.length > 1) groups.push({ trackedEntity: entity.uid, program, reason: 'multipleActive', enrollments: active.map((e) => e.uid).sort() });
      else if (meta.programs.get(program)?.onlyEnrollOnce && held.length > 1) {
        groups.push({ trackedEntity: entity.uid, program, reason: 'onlyEnrollOnce', enrollments: held.map((e) => e.uid).sort() });
      }
    }
  }
  return groups.sort((a, b) => a.trackedEntity.localeCompare(b.trackedEntity) || a.program.localeCompare(b.program));
}
