/**
 * Mutation proofs for each dimension of the search space: a deliberately broken upsert that only
 * that dimension can catch (test/fixtures/implementations), caught with the finding class of its
 * bug and shrunk to a minimal story.
 */
import { resolve } from 'node:path';
import { describe, it } from 'vitest';
import { loadImplementationSource } from '../../src/harness/module-loader.js';
import alwaysCreated from '../fixtures/implementations/always-created.mjs';
import cachedFailedMetadata from '../fixtures/implementations/cached-failed-metadata.mjs';
import caseSensitiveBatch from '../fixtures/implementations/case-sensitive-batch.mjs';
import derivedUidNoSearch from '../fixtures/implementations/derived-uid-no-search.mjs';
import likeSearchTakeFirst from '../fixtures/implementations/like-search-take-first.mjs';
import resendReadValues from '../fixtures/implementations/resend-read-values.mjs';
import reverseBatch from '../fixtures/implementations/reverse-batch.mjs';
import { announceSeed } from './fc-config.js';
import { assertCaught, type Proof } from './proofs.js';

announceSeed('dimension-proofs');

const tracker = ['2.40', '2.41', '2.42'];

const proofs: Proof[] = [
  // faults on every request: a 429 on the metadata read, cached as "not org-unit scoped"
  {
    name: 'MERGED ← a failed metadata read cached as an answer (faults on every request, facility-scoped keys)',
    implementation: cachedFailedMetadata,
    workload: { dhis2Versions: tracker, keyKinds: ['scoped'], faultKinds: ['rate-limit', 'unavailable'], otherWriters: false },
    expected: 'MERGED',
    maxOps: 2,
  },
  // keys as the field has them: two spellings of one key in one batch
  {
    name: 'DUPLICATE ← a batch that compares keys case-sensitively (key spellings, bulk)',
    implementation: caseSensitiveBatch,
    batch: true,
    workload: { dhis2Versions: tracker, keyKinds: ['unique'], faults: false, otherWriters: false, preexisting: false },
    expected: 'DUPLICATE',
    maxOps: 2,
  },
  // job runs updating different attributes of one patient at once
  {
    name: 'LOST_ATTRIBUTE ← an update that re-sends the values it read (two job runs, partial records)',
    implementation: resendReadValues,
    workload: { dhis2Versions: tracker, keyKinds: ['unique'], faults: false, otherWriters: false, keyVariants: false },
    expected: 'LOST_ATTRIBUTE',
    maxOps: 3,
  },
  // keys that are prefixes of one another
  {
    name: 'MERGED ← a LIKE search where EQ was meant (substring keys)',
    implementation: likeSearchTakeFirst,
    workload: { dhis2Versions: tracker, keyKinds: ['unique'], faults: false, otherWriters: false, keyVariants: false, maxConcurrency: 1 },
    expected: 'MERGED',
    maxOps: 2,
  },
  // true actions, held against the journal
  {
    name: 'UNTRUE_ACTION ← reports "created" for a patient it updated',
    implementation: alwaysCreated,
    workload: { dhis2Versions: tracker, keyKinds: ['unique'], faults: false, otherWriters: false, maxConcurrency: 1 },
    expected: 'UNTRUE_ACTION',
    maxOps: 1,
  },
  // bulk equals one by one
  {
    name: 'BATCH_DIVERGES ← a batch that applies its records last to first (metamorphic property)',
    implementation: reverseBatch,
    batch: true,
    workload: { dhis2Versions: tracker, keyKinds: ['unique'], faults: false, otherWriters: false, preexisting: false, maxConcurrency: 1, keyVariants: false },
    expected: 'BATCH_DIVERGES',
    maxOps: 2,
  },
  // another system registers the patient by hand while the job runs
  {
    name: 'DUPLICATE ← derived UIDs without a search (another writer during the run)',
    implementation: derivedUidNoSearch,
    workload: { dhis2Versions: tracker, keyKinds: ['non-unique'], faults: false, preexisting: false, keyVariants: false },
    expected: 'DUPLICATE',
    maxOps: 2,
  },
];

describe('mutation proofs per dimension', () => {
  it.each(proofs.map((p) => [p.name, p] as const))('%s', async (_name, proof) => assertCaught(proof));

  it('DUPLICATE ← an in-process lock instead of a safe create (one instance per job run)', async () => {
    const source = await loadImplementationSource(resolve(__dirname, '../fixtures/implementations/in-process-lock.mjs'));
    await assertCaught({
      name: 'in-process lock',
      implementation: source,
      workload: { dhis2Versions: ['2.40'], uniqueness: ['racy'], keyKinds: ['unique'], faults: false, otherWriters: false, preexisting: false, keyVariants: false },
      expected: 'DUPLICATE',
      maxOps: 2,
      shape: [2],
    });
  });
});
