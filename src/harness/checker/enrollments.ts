/**
 * No duplicate enrollments (issue 17): at the end, a patient the operations enrolled has at most
 * one ACTIVE enrollment per program, and at most one enrollment at all in a program that enrolls
 * only once. DHIS2 guards both with checks in application code (E1015/E1016; legacy
 * "already has an active enrollment") that two concurrent imports can both pass, as the
 * uniqueness check of attributes (dhis2-core ExistingEnrollmentValidator /
 * EnrollmentInExistingValidationHook, as the emulator's tracker/validate-enrollment.ts follows them).
 */
import type { DuplicateEnrollmentFinding } from '../findings.js';
import { onlyEnrollOnce } from '../jobs/catalog.js';
import { liveEnrollments } from '../jobs/snapshot.js';
import type { KeyView } from './key-view.js';
import { programsOf } from './visits.js';

export function checkDuplicateEnrollments(view: KeyView): DuplicateEnrollmentFinding[] {
  if (!view.jobs) return [];
  const mine = [...view.main, ...view.heal];
  const out: DuplicateEnrollmentFinding[] = [];
  for (const program of programsOf(mine)) {
    for (const holder of view.final) {
      const all = liveEnrollments(view.jobs, holder.uid).filter((e) => e.program === program);
      const active = all.filter((e) => e.status === 'ACTIVE');
      const once = onlyEnrollOnce(program);
      const counted = once ? all.filter((e) => e.status !== 'CANCELLED') : active;
      if (counted.length <= 1) continue;
      out.push({
        code: 'DUPLICATE_ENROLLMENT',
        key: view.key,
        trackedEntity: holder.uid,
        program,
        enrollments: counted.map((e) => ({ uid: e.uid, status: e.status })),
        ops: mine.filter((o) => o.record.enrollments?.some((e) => e.program === program)).map((o) => o.id),
        message: `Patient ${holder.uid} (key ${view.key}) ends with ${counted.length} ${once ? 'enrollments in only-enroll-once' : 'active enrollments in'} program ${program} (${counted.map((e) => `${e.uid} ${e.status}`).join(', ')}).`,
      });
    }
  }
  return out;
}
