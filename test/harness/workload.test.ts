import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smallerStories } from '../../src/harness/minimize.js';
import type { Workload } from '../../src/harness/types.js';
import { recordOf } from '../../src/harness/keys.js';
import { ambiguousKeys, flattenOps, workloadArb } from '../../src/harness/workload.js';
import { identityOf } from '../../src/harness/keys.js';
import { STAGES } from '../../src/harness/jobs/catalog.js';
import { FC_SEED } from '../properties/fc-config.js';

describe('workload generation respects its constraints', () => {
  it('versions, modes, sizes, concurrency, faults and records stay within bounds', () => {
    const constraints = { dhis2Versions: ['2.39'], uniqueness: ['atomic' as const], maxKeys: 2, maxRounds: 2, maxOps: 4, maxConcurrency: 2, faults: false, partialRecords: false };
    fc.assert(
      fc.property(workloadArb(constraints), (w) => {
        expect(w.dhis2Version).toBe('2.39');
        expect(w.uniqueness).toBe('atomic');
        expect(w.faults).toEqual([]);
        const ops = flattenOps(w);
        expect(ops.length).toBeGreaterThan(0);
        expect(ops.length).toBeLessThanOrEqual(4);
        // at most two job runs at once (the other system is a lane of its own)
        expect(w.rounds.every((r) => r.length >= 1 && new Set(r.filter((o) => !o.other).map((o) => o.client ?? 0)).size <= 2)).toBe(true);
        for (const { spec } of ops) {
          expect(spec.key).toBeLessThan(2);
          expect(spec.lastName).toBeDefined();
          const rec = recordOf(w, spec);
          expect(rec.attributes.find((a) => a.attribute === rec.matchAttribute)?.value).toMatch(/^\s*(NID-|nid-|Nid-|REG-|reg-|Reg-|\+232)/);
        }
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });

  it('ambiguous keys are those with more than one pre-existing entity', () => {
    const w = { preexisting: [{ key: 0, orgUnit: 'home', copies: 1, firstName: 'A' }, { key: 0, orgUnit: 'elsewhere', copies: 1, firstName: 'B' }, { key: 1, orgUnit: 'home', copies: 1, firstName: 'C' }] } as Workload;
    expect([...ambiguousKeys({ ...w, keyKind: 'unique' })]).toEqual(['0']);
  });
});

describe('the events option (issue 17)', () => {
  it('off (the default): the same workloads as before, no record carries enrollments', () => {
    const before = fc.sample(workloadArb({}), { seed: FC_SEED, numRuns: 50 });
    const off = fc.sample(workloadArb({ events: false }), { seed: FC_SEED, numRuns: 50 });
    expect(off).toEqual(before);
    expect(before.every((w) => flattenOps(w).every(({ spec }) => spec.enrollment === undefined && recordOf(w, spec).enrollments === undefined))).toBe(true);
  });

  it('on: every implementation record enrolls and records 1-2 visits the field can have', () => {
    fc.assert(
      fc.property(workloadArb({ events: true }), (w) => {
        const programOf = new Map<string, string>();
        for (const { spec } of flattenOps(w)) {
          if (spec.other) {
            expect(spec.enrollment).toBeUndefined();
            continue;
          }
          const en = spec.enrollment!;
          // one programme per patient, stages of that programme, Birth (not repeatable) under one key
          const id = identityOf(w.keyKind, spec);
          expect(programOf.get(id) ?? en.program).toBe(en.program);
          programOf.set(id, en.program);
          expect(en.events.length).toBeGreaterThanOrEqual(1);
          expect(en.events.length).toBeLessThanOrEqual(2);
          const visits = en.events.map((e) => `${e.stage}/${e.key}`);
          expect(new Set(visits).size).toBe(visits.length);
          for (const e of en.events) {
            expect(STAGES[e.stage].program).toBe(en.program);
            if (!STAGES[e.stage].repeatable) expect(e.key).toBe(0);
            for (const de of Object.keys(STAGES[e.stage].always)) expect(e.values[de]).toBeDefined();
          }
          const rec = recordOf(w, spec);
          expect(rec.enrollments![0].events.every((e) => /^visit-[12]$/.test(e.key) && e.occurredAt < '2025-01-01')).toBe(true);
        }
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});

describe('story minimisation candidates', () => {
  const A = { key: 0, orgUnit: 'home' as const, firstName: 'Ama', lastName: 'Sesay' };
  const w: Workload = { dhis2Version: '2.40', uniqueness: 'racy', keyKind: 'unique', preexisting: [{ key: 0, orgUnit: 'home', copies: 2, firstName: 'X' }], rounds: [[A], [A, A]], faults: [{ op: 2, request: 1, kind: 'drop-after' }] };

  it('drops operations (renumbering fault rules), merges rounds, drops pre-existing entities, faults and optional attributes', () => {
    const c = smallerStories(w);
    expect(c[0].rounds).toEqual([[A, A]]);
    expect(c[0].faults).toEqual([{ op: 1, request: 1, kind: 'drop-after' }]);
    expect(c[2].faults).toEqual([]); // the faulted operation itself was dropped
    expect(c.some((x) => x.rounds.length === 1 && x.rounds[0].length === 3)).toBe(true);
    expect(c.some((x) => x.preexisting.length === 1 && x.preexisting[0].copies === 1)).toBe(true);
    expect(c.some((x) => x.faults.length === 0 && flattenOps(x).length === 3)).toBe(true);
    expect(c.some((x) => x.rounds[0][0].lastName === undefined)).toBe(true);
  });

  it('drops one visit of a job record', () => {
    const visit = (key: number) => ({ stage: 'postnatal' as const, key, day: 20, values: { GQY2lXrypjO: '4100' } });
    const job: Workload = { ...w, preexisting: [], faults: [], rounds: [[{ ...A, enrollment: { program: 'child', events: [visit(0), visit(1)] } }]] };
    const keys = smallerStories(job).map((x) => x.rounds[0][0].enrollment?.events.map((e) => e.key));
    expect(keys).toEqual(expect.arrayContaining([[1], [0]]));
  });

  it('respects maxConcurrency and full records', () => {
    const two: Workload = { ...w, rounds: [[A, { ...A, client: 1 }], [{ ...A, client: 2 }]] };
    const c = smallerStories(two, 2, false);
    expect(c.every((x) => x.rounds.every((r) => new Set(r.map((o) => o.client ?? 0)).size <= 2))).toBe(true);
    expect(c.every((x) => x.rounds.flat().every((o) => o.lastName !== undefined))).toBe(true);
  });
});
