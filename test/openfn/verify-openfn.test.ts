/**
 * Issue 13 part 1, "done when": OpenFn jobs checked through fromOpenFn with OpenFn's own packages
 * from the npm registry (@openfn/language-common, @openfn/language-http). An OpenFn-style
 * search-then-create job fails with DUPLICATE; a job with a deterministic UID passes. The
 * adaptor-8.x recipe runs against a stand-in written from real-clients.md (the adaptor itself is
 * not on the registry), so its wiring cannot rot either.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadImplementation } from '../../src/harness/module-loader.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import { announceSeed } from '../properties/fc-config.js';

// the recipes import the published subpaths; here they run against this checkout's source
vi.mock('dhis2-upsert-harness/openfn', () => import('../../src/openfn/index.js'));
vi.mock('@openfn/language-dhis2', () => import('../fixtures/openfn/language-dhis2-standin.mjs'));

const seed = announceSeed('verify-openfn');
const recipe = (name: string) => loadImplementation(`docs/recipes/${name}`);
// small stories: one key, two concurrent runs, on versions with both APIs. No other writer: a job
// that derives the UID and never searches cannot adopt a patient a clerk registered by hand
// (docs/openfn.md says so; the dimension's own proof is in test/properties/dimension-proofs).
// keyUid ignores the org unit, so facility-scoped keys are left out (docs/openfn.md says why).
const small = { dhis2Versions: ['2.40', '2.41'], maxKeys: 1, maxRounds: 2, maxOps: 3, preexisting: false, otherWriters: false, keyKinds: ['unique' as const, 'non-unique' as const] };

describe('fromOpenFn under verify', () => {
  it.each([
    ['openfn-job.mjs (language-http search-then-create)', 'openfn-job.mjs'],
    ['openfn-dhis2-job.mjs (adaptor 8.x upsert, stand-in)', 'openfn-dhis2-job.mjs'],
  ])('%s: DUPLICATE', async (_n, file) => {
    const report = await verifyUpsert(await recipe(file), { seed, numRuns: 40, concurrentRuns: 0, timeLimitMs: 90_000, workload: { ...small, uniqueness: ['racy', 'off'], faults: false, keyVariants: false } });
    expect(report.ok).toBe(false);
    expect(report.counterexample!.findings.map((f) => f.code)).toContain('DUPLICATE');
    // the adaptor's console lines are attached to the operations, not printed
    expect(report.counterexample!.history.ops.some((o) => (o.logs ?? []).some((l) => /POST .*trackedEntityInstances/.test(l)))).toBe(true);
  });

  it.each([
    ['openfn-tracker-job.mjs (language-http, UID from the key)', 'openfn-tracker-job.mjs'],
    ['openfn-dhis2-tracker-job.mjs (adaptor 8.x, UID from the key, stand-in)', 'openfn-dhis2-tracker-job.mjs'],
  ])('%s: PASS, with gateway faults and real concurrency', async (_n, file) => {
    const report = await verifyUpsert(await recipe(file), { seed, numRuns: 25, concurrentRuns: 3, timeLimitMs: 90_000, workload: small });
    expect(report.counterexample?.findings ?? []).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
