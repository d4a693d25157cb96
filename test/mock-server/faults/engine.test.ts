import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleDelay, unitDraw } from '../../../mock-server/faults/draw.js';
import { FaultEngine, type FaultPlanInput } from '../../../mock-server/faults/index.js';
import { compilePathPattern, routeKey } from '../../../mock-server/faults/route.js';

const FC_SEED = process.env.FC_SEED !== undefined && Number.isFinite(Number(process.env.FC_SEED)) ? Number(process.env.FC_SEED) : 424242;
console.log(`fault engine properties: FC_SEED=${FC_SEED}`);

function engine(plan: FaultPlanInput, seed = 1, clock = () => 0) {
  const e = new FaultEngine(seed, clock);
  e.install(plan);
  return e;
}

/** Which rule decided each request ('-' for none). */
function outcomes(e: FaultEngine, requests: [string, string][]): string[] {
  return requests.map(([m, p]) => {
    const d = e.decide(m, p);
    return d?.outcome ? String(d.outcome.rule) : '-';
  });
}

describe('routes and path patterns', () => {
  it.each([
    ['GET', '/api/trackedEntityInstances', 'GET /api/trackedEntityInstances'],
    ['get', '/api/40/trackedEntityInstances.json', 'GET /api/trackedEntityInstances'],
    ['PUT', '/api/trackedEntityInstances/PQfMcpmXeFE', 'PUT /api/trackedEntityInstances/{uid}'],
    ['GET', '/api/tracker/trackedEntities/Dup2Uid0001/', 'GET /api/tracker/trackedEntities/{uid}'],
    ['GET', '/api/tracker/enrollments', 'GET /api/tracker/enrollments'],
  ])('%s %s → route %s', (method, path, key) => {
    expect(routeKey(method, path)).toBe(key);
  });

  it.each([
    ['/api/trackedEntityInstances', '/api/trackedEntityInstances', true],
    ['/api/trackedEntityInstances', '/api/trackedEntityInstances/PQfMcpmXeFE', false],
    ['/api/trackedEntityInstances/*', '/api/trackedEntityInstances/PQfMcpmXeFE', true],
    ['/api/trackedEntityInstances/:uid', '/api/trackedEntityInstances/PQfMcpmXeFE', true],
    ['/api/trackedEntityInstances/:uid', '/api/trackedEntityInstances', false],
    ['/api/**', '/api/tracker/trackedEntities/x', true],
    ['/api/*', '/api/tracker/trackedEntities', false],
    ['/api/40/trackedEntityInstances.json', '/api/trackedEntityInstances', true],
    ['/api/tracker', '/api/tracker/', true],
    ['/api/track.er', '/api/trackXer', false],
  ])('pattern %s on %s → %s', (pattern, path, hit) => {
    expect(compilePathPattern(pattern)(path)).toBe(hit);
  });
});

describe('rule selection', () => {
  it('nth counts per route, so /{uid} requests share one ordinal', () => {
    const e = engine({ rules: [{ kind: 'reset-before-commit', method: 'PUT', nth: 2 }] });
    expect(
      outcomes(e, [
        ['PUT', '/api/trackedEntityInstances/AAAAAAAAAA1'],
        ['GET', '/api/trackedEntityInstances/AAAAAAAAAA1'],
        ['PUT', '/api/trackedEntityInstances/BBBBBBBBBB2'],
        ['PUT', '/api/trackedEntityInstances/CCCCCCCCCC3'],
      ]),
    ).toEqual(['-', '-', '0', '-']);
  });

  it('nth of a rule without a path applies on each route separately', () => {
    const e = engine({ rules: [{ kind: 'rate-limit', nth: [1, 3] }] });
    const a: [string, string] = ['GET', '/api/me'];
    const b: [string, string] = ['POST', '/api/trackedEntityInstances'];
    expect(outcomes(e, [a, b, a, a, b, b])).toEqual(['0', '0', '-', '0', '-', '0']);
  });

  it('times stops the rule after N injections; the next rule takes over', () => {
    const e = engine({ rules: [{ kind: 'error-before-commit', times: 2 }, { kind: 'rate-limit', times: 1 }] });
    const r: [string, string] = ['POST', '/api/tracker'];
    expect(outcomes(e, [r, r, r, r])).toEqual(['0', '0', '1', '-']);
    expect(e.status().rules.map((s) => [s.injected, s.active])).toEqual([
      [2, false],
      [1, false],
    ]);
  });

  it('durationMs stops the rule once that long has passed since installation', () => {
    let now = 1000;
    const e = engine({ rules: [{ kind: 'reset-before-commit', durationMs: 50 }] }, 1, () => now);
    const r: [string, string] = ['GET', '/api/me'];
    expect(outcomes(e, [r])).toEqual(['0']);
    now = 1049;
    expect(outcomes(e, [r])).toEqual(['0']);
    now = 1050;
    expect(outcomes(e, [r])).toEqual(['-']);
  });

  it('the first matching outcome rule wins; latency adds up; stale-search only on GET', () => {
    const e = engine({
      rules: [
        { kind: 'latency', delay: { dist: 'fixed', ms: 5 } },
        { kind: 'stale-search', commitsAgo: 2 },
        { kind: 'latency', delay: { dist: 'fixed', ms: 7 } },
        { kind: 'error-after-commit', status: 502 },
        { kind: 'rate-limit' },
      ],
    });
    const get = e.decide('GET', '/api/trackedEntityInstances')!;
    expect(get.latency).toEqual([
      { rule: 0, ms: 5 },
      { rule: 2, ms: 7 },
    ]);
    expect(get.stale).toEqual({ rule: 1, commitsAgo: 2, msAgo: undefined });
    expect(get.outcome?.rule).toBe(3);
    const post = e.decide('POST', '/api/trackedEntityInstances')!;
    expect(post.stale).toBeUndefined();
    expect(e.status().rules.map((s) => s.injected)).toEqual([2, 1, 2, 2, 0]);
  });

  it('installing a plan restarts ordinals and counters; clear removes it', () => {
    const plan: FaultPlanInput = { rules: [{ kind: 'reset-before-commit', nth: 1 }] };
    const e = engine(plan);
    const r: [string, string] = ['GET', '/api/me'];
    expect(outcomes(e, [r, r])).toEqual(['0', '-']);
    e.install(plan);
    expect(outcomes(e, [r])).toEqual(['0']);
    e.clear();
    expect(e.decide('GET', '/api/me')).toBeUndefined();
    expect(e.status()).toMatchObject({ installed: false, rules: [] });
  });

  it('a plan seed overrides the emulator seed', () => {
    expect(engine({ seed: 9, rules: [] }, 1).seed).toBe(9);
    expect(engine({ rules: [] }, 1).seed).toBe(1);
  });
});

describe('seeded draws', () => {
  const probabilityPlan: FaultPlanInput = { rules: [{ kind: 'error-before-commit', probability: 0.3 }] };
  const post: [string, string] = ['POST', '/api/trackedEntityInstances'];
  const get: [string, string] = ['GET', '/api/trackedEntityInstances'];

  it('the same seed gives the same decisions; another seed other ones', () => {
    const run = (seed: number) => outcomes(engine(probabilityPlan, seed), Array(64).fill(post)).join('');
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });

  it('a route’s decisions do not depend on traffic on other routes', () => {
    const alone = outcomes(engine(probabilityPlan, 5), Array(40).fill(post));
    const mixed = outcomes(engine(probabilityPlan, 5), Array.from({ length: 80 }, (_, i) => (i % 2 ? post : get))).filter((_, i) => i % 2);
    expect(mixed).toEqual(alone);
  });

  it('fires at about the given rate', () => {
    const fired = outcomes(engine(probabilityPlan, 11), Array(2000).fill(post)).filter((o) => o !== '-').length;
    expect(fired).toBeGreaterThan(2000 * 0.25);
    expect(fired).toBeLessThan(2000 * 0.35);
  });

  it('delays follow their distribution', () => {
    const draws = (n: number) => (p: string) => unitDraw(3, 'r', n, p);
    const uniform = Array.from({ length: 500 }, (_, n) => sampleDelay({ dist: 'uniform', minMs: 10, maxMs: 20 }, draws(n)));
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(20);
    const logn = Array.from({ length: 1001 }, (_, n) => sampleDelay({ dist: 'lognormal', medianMs: 100, sigma: 0.5 }, draws(n))).sort((a, b) => a - b);
    expect(logn[500]).toBeGreaterThan(90);
    expect(logn[500]).toBeLessThan(110);
    expect(logn.at(-1)!).toBeGreaterThan(200); // a long tail
    const capped = Array.from({ length: 200 }, (_, n) => sampleDelay({ dist: 'lognormal', medianMs: 100, sigma: 2, maxMs: 150 }, draws(n)));
    expect(Math.max(...capped)).toBe(150);
  });

  it('property: any plan, any request sequence, the same seed → the same decisions', () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT');
    const path = fc.constantFrom('/api/trackedEntityInstances', '/api/trackedEntityInstances/AAAAAAAAAA1', '/api/tracker', '/api/me');
    const rule = fc.oneof(
      fc.record({ kind: fc.constant('error-before-commit' as const), probability: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('latency' as const), delay: fc.constant({ dist: 'lognormal' as const, medianMs: 10, sigma: 1 }), probability: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('drop-after-commit' as const), nth: fc.integer({ min: 1, max: 5 }), times: fc.integer({ min: 1, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.array(rule, { maxLength: 4 }), fc.array(fc.tuple(method, path), { maxLength: 40 }), (seed, rules, requests) => {
        const a = engine({ rules }, seed);
        const b = engine({ rules }, seed);
        for (const [m, p] of requests) expect(a.decide(m, p)).toEqual(b.decide(m, p));
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});
