/**
 * Mutation proofs: every property is shown to catch the bug it claims to, end to end, with
 * deliberately broken upserts (test/fixtures/implementations), within the default budget, and the
 * counterexample shrinks to the minimal story.
 */
import { describe, it } from 'vitest';
import createOnly from '../fixtures/implementations/create-only.mjs';
import missingType from '../fixtures/implementations/missing-type.mjs';
import naive from '../fixtures/implementations/naive-search-then-create.mjs';
import takeFirst from '../fixtures/implementations/naive-take-first.mjs';
import verbatimPut from '../fixtures/implementations/naive-verbatim-put.mjs';
import skipUpdate from '../fixtures/implementations/skip-update.mjs';
import { announceSeed } from './fc-config.js';
import { assertCaught, type Proof } from './proofs.js';

announceSeed('mutation-proofs');

const proofs: Proof[] = [
  // check-then-act race: the minimal story is two concurrent upserts of one key
  { name: 'DUPLICATE ← naive search-then-create', implementation: naive, expected: 'DUPLICATE', maxOps: 2, shape: [2] },
  // with facility-scoped keys the first match may be another facility's patient: that is the worse MERGED
  { name: 'AMBIGUITY_WRITE ← take the first of several matches', implementation: takeFirst, workload: { maxConcurrency: 1, keyKinds: ['unique', 'non-unique'], keyVariants: false }, expected: 'AMBIGUITY_WRITE', maxOps: 1 },
  { name: 'MERGED ← take the first of several matches (facility-scoped keys)', implementation: takeFirst, workload: { maxConcurrency: 1, keyKinds: ['scoped'] }, expected: 'MERGED', maxOps: 2 },
  { name: 'LOST_ATTRIBUTE ← verbatim PUT with ?program=', implementation: verbatimPut, workload: { maxConcurrency: 1, keyKinds: ['unique', 'non-unique'], keyVariants: false }, expected: 'LOST_ATTRIBUTE', maxOps: 2 },
  { name: 'NON_LINEARIZABLE ← reports success without updating', implementation: skipUpdate, workload: { maxConcurrency: 1, keyKinds: ['unique'] }, expected: 'NON_LINEARIZABLE', maxOps: 2 },
  { name: 'NOT_IDEMPOTENT ← create without looking (unique key, atomic server)', implementation: createOnly, workload: { maxConcurrency: 1, uniqueness: ['atomic'], keyKinds: ['unique'], preexisting: false }, expected: 'NOT_IDEMPOTENT', maxOps: 1 },
  // no concurrency at all: a stale search or a twice-delivered POST is enough
  { name: 'DUPLICATE ← naive search-then-create behind a lagging replica / duplicating proxy', implementation: naive, workload: { maxConcurrency: 1, faultKinds: ['stale', 'duplicate'], keyKinds: ['non-unique'] }, expected: 'DUPLICATE', maxOps: 2 },
  { name: 'NOT_CONVERGED ← search without a type on 2.37+', implementation: missingType, workload: { maxOps: 1, dhis2Versions: ['2.40'] }, expected: 'NOT_CONVERGED', maxOps: 1 },
];

describe('mutation proofs (own broken fixtures)', () => {
  it.each(proofs.map((p) => [p.name, p] as const))('%s', async (_name, proof) => assertCaught(proof));
});
