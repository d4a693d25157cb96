/**
 * Mutation proofs for records with enrollments and events (issue 17, workload option `events`):
 * each job reference (src/reference/jobs) gets one part of the job wrong and is caught with the
 * finding of that part, within its budget, its counterexample shrunk to a short story.
 */
import { describe, it } from 'vitest';
import { references } from '../../src/reference/index.js';
import type { WorkloadConstraints } from '../../src/harness/workload.js';
import { announceSeed } from './fc-config.js';
import { assertCaught, type Proof } from './proofs.js';

announceSeed('job-mutation-proofs');

/** The tracker API (2.36+), no noise from the entity dimensions: the story is about the job part. */
const jobs: WorkloadConstraints = { events: true, dhis2Versions: ['2.40', '2.41'], preexisting: false, keyVariants: false, otherWriters: false };

const proofs: Proof[] = [
  // a visit whose date is corrected, or a second visit on the same day, is another / the same event to it
  { name: 'DUPLICATE_EVENT ← event UID derived from the visit date', implementation: references.eventUidFromDate, workload: { ...jobs, maxConcurrency: 1, faults: false }, expected: 'DUPLICATE_EVENT', maxOps: 2 },
  // two runs at once both pass DHIS2's active-enrollment check (racy, as in DHIS2)
  { name: 'DUPLICATE_ENROLLMENT ← enrolls on every run, reads back on refusal', implementation: references.reenrollEveryRun, workload: { ...jobs, uniqueness: ['racy'], faults: false }, expected: 'DUPLICATE_ENROLLMENT', maxOps: 2, shape: [2] },
  // fetch, change, import everything: another run's change in between is undone. The story needs
  // three ops (a visit, then two runs at once, the fetching one writing another visit), rare among
  // random workloads: hence minOps, one visit per record and a large budget (found after 200-1100
  // runs over FC_SEED 1, 2, 7, 20261126)
  {
    name: 'LOST_DATA_VALUE ← resends the visits it read (lost update between two runs)',
    implementation: references.resendReadDataValues,
    workload: { ...jobs, events: { programs: ['tb'], maxVisits: 1 }, dhis2Versions: ['2.40'], uniqueness: ['atomic'], maxKeys: 1, minOps: 3, maxOps: 3, maxRounds: 2, maxClients: 2, faults: false, partialRecords: false },
    expected: 'LOST_DATA_VALUE',
    maxOps: 3,
    numRuns: 2500,
    timeLimitMs: 240_000,
  },
  // CREATE_AND_UPDATE without an event UID creates the visit again on the next run
  { name: 'DUPLICATE_EVENT ← tracker import of visits without UIDs', implementation: references.trackerEventsNoUid, workload: { ...jobs, maxConcurrency: 1, faults: false }, expected: 'DUPLICATE_EVENT', maxOps: 2 },
  // a legacy PUT replaces the visit's data values with those sent
  { name: 'LOST_DATA_VALUE ← legacy event PUT without mergeDataValues', implementation: references.legacyEventPut, workload: { ...jobs, events: { programs: ['child'] }, dhis2Versions: ['2.38', '2.40'], maxConcurrency: 1, faults: false }, expected: 'LOST_DATA_VALUE', maxOps: 2 },
];

describe('mutation proofs: enrollments and events', () => {
  it.each(proofs.map((p) => [p.name, p] as const))('%s', async (_name, proof) => assertCaught(proof), 300_000);
});
