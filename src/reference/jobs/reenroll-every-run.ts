/**
 * Imitates jobs that enroll the patient on every run and read the enrollment back only when
 * DHIS2 refuses ("already enrolled"): the refusal comes from a check in application code
 * (E1015/E1016, legacy "already has an active enrollment") that two runs at once can both pass,
 * so overlapping runs leave two active enrollments (or two in an only-enroll-once program).
 */
import type { Dhis2Client } from '../../client/dhis2-client.js';
import { Dhis2ConflictError, HarnessError } from '../../errors.js';
import type { HarnessContext } from '../../upsert/context-client.js';
import { enrollmentPayload, enrollmentsOf, type JobEnrollment, type JobRecord, runJob, trackerImport } from './common.js';

async function enrollAgain(client: Dhis2Client, te: string, en: JobEnrollment, orgUnit: string, signal?: AbortSignal): Promise<string> {
  try {
    await trackerImport(client, { enrollments: [enrollmentPayload(undefined, te, en, orgUnit)] }, 'CREATE', signal);
  } catch (err) {
    if (!(err instanceof Dhis2ConflictError)) throw err;
  }
  // the new one, or the one that was there: the first active enrollment DHIS2 lists
  const active = (await enrollmentsOf(client, te, en.program, signal)).filter((e) => e.status === 'ACTIVE');
  if (active.length === 0) throw new HarnessError(`Patient ${te} has no active enrollment in ${en.program} after enrolling.`);
  return active[active.length - 1].uid;
}

export const reenrollEveryRun = (record: JobRecord, ctx: HarnessContext) => runJob(record, ctx, { enrollment: enrollAgain });
