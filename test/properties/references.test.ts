/**
 * Each reference upsert the package ships (src/reference, upsert.md "How integrators do it today")
 * is caught, with the finding class of the bug it imitates, within the default budget.
 */
import { describe, it } from 'vitest';
import { references } from '../../src/reference/index.js';
import { announceSeed } from './fc-config.js';
import { assertCaught, type Proof } from './proofs.js';

announceSeed('references');

const proofs: Proof[] = [
  // the race alone: no key spellings (a padded key is a one-job-run duplicate) and no facility-scoped
  // keys (taking the first match there merges two patients, which the search rightly prefers)
  { name: 'naiveSearchThenCreate: check-then-act race', implementation: references.naiveSearchThenCreate, workload: { keyKinds: ['unique', 'non-unique'], keyVariants: false }, expected: 'DUPLICATE', maxOps: 2, shape: [2] },
  { name: 'searchAccessibleTakeFirstConcat: writes into one of several matches', implementation: references.searchAccessibleTakeFirstConcat, workload: { maxConcurrency: 1, keyKinds: ['unique', 'non-unique'], keyVariants: false }, expected: 'AMBIGUITY_WRITE', maxOps: 1 },
  { name: 'searchAccessibleTakeFirstConcat: writes one facility\'s patient into another\'s (facility-scoped keys)', implementation: references.searchAccessibleTakeFirstConcat, workload: { maxConcurrency: 1, keyKinds: ['scoped'] }, expected: 'MERGED', maxOps: 2 },
  { name: 'searchSelectedConcat: SELECTED scope misses another org unit', implementation: references.searchSelectedConcat, workload: { maxConcurrency: 1, keyKinds: ['non-unique'] }, expected: 'DUPLICATE', maxOps: 2 },
  { name: 'callerQueryVerbatimPut: PUT ?program= drops unmentioned attributes', implementation: references.callerQueryVerbatimPut, workload: { maxConcurrency: 1, keyKinds: ['unique', 'non-unique'], keyVariants: false }, expected: 'LOST_ATTRIBUTE', maxOps: 2 },
  { name: 'trackerNoUid: every CREATE_AND_UPDATE without a UID creates', implementation: references.trackerNoUid, workload: { maxConcurrency: 1, keyKinds: ['non-unique'], dhis2Versions: ['2.38', '2.40', '2.41'] }, expected: 'DUPLICATE', maxOps: 1 },
];

describe('reference implementations are caught', () => {
  it.each(proofs.map((p) => [p.name, p] as const))('%s', async (_name, proof) => assertCaught(proof));
});
