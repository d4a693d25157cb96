import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, InvalidFaultPlanError, parseFaultPlan } from '../../../mock-server/faults/index.js';

/** One valid rule per kind: the README's examples must stay in this list. */
const valid: [string, unknown][] = [
  ['latency fixed', { kind: 'latency', delay: { dist: 'fixed', ms: 200 } }],
  ['latency uniform', { kind: 'latency', method: 'GET', delay: { dist: 'uniform', minMs: 5, maxMs: 50 } }],
  ['latency log-normal', { kind: 'latency', path: '/api/**', delay: { dist: 'lognormal', medianMs: 40, sigma: 0.8, maxMs: 2000 } }],
  ['error-before-commit', { kind: 'error-before-commit', method: 'POST', path: '/api/trackedEntityInstances', status: 502, times: 2 }],
  ['error-after-commit', { kind: 'error-after-commit', method: ['POST', 'PUT'], status: 500, body: 'html', nth: [1, 3] }],
  ['drop-after-commit', { kind: 'drop-after-commit', method: 'POST', nth: 1 }],
  ['delay-after-commit', { kind: 'delay-after-commit', delayMs: 30000 }],
  ['reset-before-commit', { kind: 'reset-before-commit', probability: 0.1, durationMs: 60000 }],
  ['rate-limit', { kind: 'rate-limit', status: 503, retryAfterSeconds: 2 }],
  ['stale-search', { kind: 'stale-search', path: '/api/trackedEntityInstances', commitsAgo: 1 }],
  ['stale-search by time', { kind: 'stale-search', msAgo: 500, method: 'get' }],
  ['duplicate-delivery', { kind: 'duplicate-delivery', method: 'POST', respond: 'first', gapMs: 10 }],
  ['a path with a named segment', { kind: 'error-before-commit', path: '/api/trackedEntityInstances/:uid', label: 'lost update' }],
];

/** [case, plan, fragment the message must contain] */
const invalid: [string, unknown, string][] = [
  ['not an object', 42, 'plan: Invalid input: expected object'],
  ['no rules', {}, 'rules: Invalid input: expected array'],
  ['unknown top-level key', { rules: [], sed: 1 }, 'plan: Unrecognized key: "sed"'],
  ['unknown kind', { rules: [{ kind: 'explode' }] }, `rules[0].kind: unknown fault kind "explode"; use one of ${FAULT_KINDS.join(', ')}`],
  ['missing kind', { rules: [{ method: 'GET' }] }, 'rules[0].kind: a rule needs "kind"'],
  ['unknown key on a rule', { rules: [{ kind: 'latency', delay: { dist: 'fixed', ms: 1 }, propability: 0.5 }] }, 'rules[0]: Unrecognized key: "propability"'],
  ['a key of another kind', { rules: [{ kind: 'drop-after-commit', status: 500 }] }, 'rules[0]: Unrecognized key: "status"'],
  ['bad status', { rules: [{ kind: 'error-before-commit', status: 501 }] }, 'rules[0].status: status must be 500, 502, 503 or 504'],
  ['bad rate-limit status', { rules: [{ kind: 'rate-limit', status: 500 }] }, 'rules[0].status: rate-limit status must be 429 or 503'],
  ['probability above 1', { rules: [{ kind: 'reset-before-commit', probability: 1.5 }] }, 'rules[0].probability'],
  ['nth zero', { rules: [{ kind: 'reset-before-commit', nth: 0 }] }, 'rules[0].nth'],
  ['path without slash', { rules: [{ kind: 'reset-before-commit', path: 'api/x' }] }, 'rules[0].path: a path pattern starts with "/"'],
  ['latency without delay', { rules: [{ kind: 'latency' }] }, 'rules[0].delay'],
  ['unknown distribution', { rules: [{ kind: 'latency', delay: { dist: 'pareto', ms: 1 } }] }, 'rules[0].delay.dist: unknown delay distribution'],
  ['uniform max below min', { rules: [{ kind: 'latency', delay: { dist: 'uniform', minMs: 9, maxMs: 3 } }] }, 'rules[0].delay.maxMs: maxMs must be ≥ minMs'],
  ['stale-search without an age', { rules: [{ kind: 'stale-search' }] }, 'rules[0].commitsAgo: stale-search needs commitsAgo or msAgo'],
  ['stale-search on POST', { rules: [{ kind: 'stale-search', commitsAgo: 1, method: 'POST' }] }, 'rules[0].method: stale-search applies to GET requests only'],
  ['second rule wrong', { rules: [{ kind: 'reset-before-commit' }, { kind: 'rate-limit', retryAfterSeconds: -1 }] }, 'rules[1].retryAfterSeconds'],
];

describe('fault plan schema', () => {
  it.each(valid)('accepts %s', (_name, rule) => {
    const plan = parseFaultPlan({ seed: 3, rules: [rule] });
    expect(plan.rules).toHaveLength(1);
    expect(plan.seed).toBe(3);
  });

  it('covers every fault kind in the valid examples', () => {
    expect(new Set(valid.map(([, r]) => (r as { kind: string }).kind))).toEqual(new Set(FAULT_KINDS));
  });

  it.each(invalid)('rejects %s with a JSON-path message', (_name, plan, fragment) => {
    let error: unknown;
    try {
      parseFaultPlan(plan);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFaultPlanError);
    expect((error as InvalidFaultPlanError).code).toBe('INVALID_FAULT_PLAN');
    expect((error as Error).message).toContain(fragment);
    expect((error as Error).message).toContain('see docs/fault-plans.md');
  });

  it('fills documented defaults', () => {
    const plan = parseFaultPlan({
      rules: [{ kind: 'error-after-commit' }, { kind: 'rate-limit' }, { kind: 'drop-after-commit' }, { kind: 'delay-after-commit' }, { kind: 'duplicate-delivery' }],
    });
    expect(plan.rules).toEqual([
      { kind: 'error-after-commit', status: 500 },
      { kind: 'rate-limit', status: 429, retryAfterSeconds: 1 },
      { kind: 'drop-after-commit', mode: 'close' },
      { kind: 'delay-after-commit', delayMs: 60000 },
      { kind: 'duplicate-delivery', respond: 'second', gapMs: 0, concurrent: false },
    ]);
  });
});
