/**
 * Plans that stop (`times`) let a retrying client finish: with a client-chosen UID and
 * CREATE_AND_UPDATE (spec §6 "Idempotency"), retries after lost or failed answers converge on one
 * entity, and the journal accounts for every fault.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultPlanInput } from '../../../mock-server/index.js';
import { holders, live, person, TEI_PATH, type Live, type Outcome } from './live.js';

let env: Live | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Retries on transport errors, 5xx and 429 (honouring Retry-After), up to `max` attempts. */
async function retryingUpsert(e: Live, nid: string, uid: string, max = 8): Promise<{ attempts: number; outcomes: Outcome[] }> {
  const outcomes: Outcome[] = [];
  for (let attempt = 1; attempt <= max; attempt++) {
    const o = await e.call('POST', `${TEI_PATH}?strategy=CREATE_AND_UPDATE`, person(nid, { trackedEntityInstance: uid }), { timeoutMs: 2000 });
    outcomes.push(o);
    if (o.ok && o.answer.status === 200) return { attempts: attempt, outcomes };
    if (o.ok && o.answer.status < 500 && o.answer.status !== 429) throw new Error(`not retryable: ${o.answer.status} ${o.answer.text}`);
    const retryAfter = o.ok ? Number(o.answer.headers['retry-after'] ?? 0) : 0;
    if (retryAfter > 0) await new Promise((r) => setTimeout(r, retryAfter * 1000));
  }
  throw new Error(`gave up after ${max} attempts`);
}

const onPost = { method: 'POST', path: '/api/trackedEntityInstances' };

describe('a retrying client converges once the plan runs out', () => {
  it.each<[string, FaultPlanInput, number, number]>([
    ['3 × 503 before commit', { rules: [{ kind: 'error-before-commit', ...onPost, status: 503, times: 3 }] }, 4, 0],
    ['2 × 502 after commit', { rules: [{ kind: 'error-after-commit', ...onPost, status: 502, times: 2 }] }, 3, 2],
    ['2 × commit then drop', { rules: [{ kind: 'drop-after-commit', ...onPost, times: 2 }] }, 3, 2],
    ['1 × reset, 1 × 429', { rules: [{ kind: 'reset-before-commit', ...onPost, times: 1 }, { kind: 'rate-limit', ...onPost, times: 1, retryAfterSeconds: 0 }] }, 3, 0],
    ['a mix on nth requests', { rules: [{ kind: 'drop-after-commit', ...onPost, nth: 1 }, { kind: 'error-before-commit', ...onPost, status: 504, nth: [2, 3] }] }, 4, 1],
  ])('%s', async (_name, plan, expectedAttempts, committedFaults) => {
    env = await live({ faults: plan });
    const { attempts } = await retryingUpsert(env, 'CONV-1', 'ConvUid0001');
    expect(attempts).toBe(expectedAttempts);
    expect(holders(env.mock, 'CONV-1').map((h) => h.uid)).toEqual(['ConvUid0001']);
    expect(env.mock.admin.invariants().ok).toBe(true);
    const faults = env.mock.admin.journal({ types: ['fault'] }).entries;
    expect(faults).toHaveLength(expectedAttempts - 1);
    expect(faults.filter((f) => f.type === 'fault' && f.committed)).toHaveLength(committedFaults);
    const rules = env.mock.admin.faults.status().rules;
    expect(rules.reduce((n, r) => n + r.injected, 0)).toBe(expectedAttempts - 1);
    for (const [i, rule] of plan.rules.entries()) if (rule.times !== undefined) expect(rules[i]).toMatchObject({ injected: rule.times, active: false });
  });

  it('the same plan defeats a client without a stable UID: each lost answer leaves an entity behind (non-unique key)', async () => {
    env = await live({ faults: { rules: [{ kind: 'drop-after-commit', ...onPost, times: 2 }] } });
    const phone = { trackedEntityType: person('x').trackedEntityType, orgUnit: person('x').orgUnit, attributes: [{ attribute: 'P2cwLGskgxn', value: '+232 99' }, { attribute: 'w75KJ2mc4zz', value: 'Test' }] };
    let attempts = 0;
    for (; attempts < 5; attempts++) {
      const o = await env.call('POST', TEI_PATH, phone);
      if (o.ok && o.answer.status === 200) break;
    }
    expect(attempts + 1).toBe(3);
    expect(env.mock.admin.invariants(['P2cwLGskgxn']).duplicates[0].uids).toHaveLength(3);
  });
});
