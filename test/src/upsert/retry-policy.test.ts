import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_RETRY, isRetryable, RetryBudget, type RetryEnv, withRetry } from '../../../src/upsert/retry-policy.js';
import {
  AbortedError,
  AmbiguousMatchError,
  Dhis2ConflictError,
  HttpError,
  RetryBudgetExceededError,
  TransportError,
  ValidationError,
} from '../../../src/errors.js';

const seed = Number(process.env.FC_SEED ?? 20240601);
console.log(`[retry-policy.test] fast-check seed ${seed}`);

/** A fake clock: sleeping advances time instantly and records the wait. */
function fakeEnv(randoms: number[] = [0.5]): RetryEnv & { sleeps: number[]; t: number } {
  let i = 0;
  const env = {
    t: 1_000_000,
    sleeps: [] as number[],
    now: () => env.t,
    sleep: async (ms: number) => {
      env.sleeps.push(ms);
      env.t += ms;
    },
    random: () => randoms[i++ % randoms.length],
  };
  return env;
}

const http = (status: number, headers: Record<string, string> = {}, method = 'POST') =>
  new HttpError({ status, method, url: 'u', body: '', headers, outcomeUnknown: status >= 500 && method !== 'GET' });
const transport = (phase: 'connect' | 'send' | 'response') => new TransportError({ phase, method: 'POST', url: 'u', cause: new Error('x') });

describe('isRetryable', () => {
  it('retries unknown outcomes, connect failures and back-pressure only', () => {
    expect(isRetryable(transport('connect'))).toBe(true);
    expect(isRetryable(transport('send'))).toBe(true);
    expect(isRetryable(transport('response'))).toBe(true);
    for (const s of [500, 502, 503, 504, 429, 408]) expect(isRetryable(http(s))).toBe(true);
    for (const s of [501, 505, 400, 401, 403, 404]) expect(isRetryable(http(s))).toBe(false);
    expect(isRetryable(new ValidationError({ status: 400, method: 'POST', url: 'u', body: {} }))).toBe(false);
    expect(isRetryable(new Dhis2ConflictError({ status: 409, method: 'POST', url: 'u', body: {} }, [{ value: 'x' }]))).toBe(false);
    expect(isRetryable(new AmbiguousMatchError({ uids: ['a', 'b'], attribute: 'x', value: 'y' }))).toBe(false);
    expect(isRetryable(new AbortedError())).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('is full jitter within the capped exponential window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const d = backoffDelay(retry, DEFAULT_RETRY, () => r);
        const window = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (retry - 1));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.max(1, window));
      }),
      { seed, numRuns: 500 },
    );
    expect(backoffDelay(1, DEFAULT_RETRY, () => 0.5)).toBe(100);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(400);
    expect(backoffDelay(30, DEFAULT_RETRY, () => 0.5)).toBe(5000);
  });
});

describe('RetryBudget', () => {
  it('rethrows non-retryable errors untouched', () => {
    const b = new RetryBudget({}, fakeEnv());
    b.begin();
    const err = new ValidationError({ status: 400, method: 'POST', url: 'u', body: {} });
    expect(() => b.next(err)).toThrow(err);
  });

  it('honours Retry-After seconds on 429 and 503', () => {
    const env = fakeEnv([0]);
    const b = new RetryBudget({}, env);
    b.begin();
    expect(b.next(http(429, { 'retry-after': '7' }))).toBe(7000);
    b.begin();
    expect(b.next(http(503, { 'retry-after': '2' }))).toBe(2000);
    b.begin();
    expect(b.next(http(503))).toBe(0);
  });

  it('stops after maxAttempts with RetryBudgetExceededError carrying the last error', async () => {
    const env = fakeEnv();
    let calls = 0;
    const err = transport('send');
    const p = withRetry(async () => {
      calls++;
      throw err;
    }, { maxAttempts: 4 }, env);
    const e = (await p.catch((x) => x)) as RetryBudgetExceededError;
    expect(e).toBeInstanceOf(RetryBudgetExceededError);
    expect(e.code).toBe('RETRY_BUDGET_EXCEEDED');
    expect(e.attempts).toBe(4);
    expect(e.lastError).toBe(err);
    expect(e.outcomeUnknown).toBe(true);
    expect(calls).toBe(4);
    expect(env.sleeps).toEqual([100, 200, 400]);
  });

  it('stops when the next wait would pass maxElapsedMs', async () => {
    const env = fakeEnv([0.999]);
    let calls = 0;
    const e = await withRetry(async () => {
      calls++;
      throw http(502);
    }, { maxAttempts: 100, maxElapsedMs: 1000, baseDelayMs: 200 }, env).catch((x) => x);
    expect(e).toBeInstanceOf(RetryBudgetExceededError);
    // waits ≈199, 399 (total 598); the next ≈799 would end after 1000 ms.
    expect(env.sleeps).toEqual([199, 399]);
    expect(calls).toBe(3);
  });

  it('a Retry-After beyond the elapsed budget gives up instead of sleeping', async () => {
    const env = fakeEnv();
    const e = await withRetry(async () => {
      throw http(429, { 'retry-after': '120' });
    }, { maxElapsedMs: 60_000 }, env).catch((x) => x);
    expect(e).toBeInstanceOf(RetryBudgetExceededError);
    expect(env.sleeps).toEqual([]);
  });

  it('succeeds after transient failures', async () => {
    const env = fakeEnv();
    let calls = 0;
    const v = await withRetry(async () => {
      if (++calls < 3) throw http(503);
      return 'ok';
    }, {}, env);
    expect(v).toBe('ok');
    expect(calls).toBe(3);
  });

  it('abort during the wait rejects with AbortedError', async () => {
    const ac = new AbortController();
    const env = fakeEnv();
    env.sleep = async () => {
      ac.abort();
    };
    const e = await withRetry(async () => {
      throw http(503);
    }, {}, env, ac.signal).catch((x) => x);
    expect(e).toBeInstanceOf(AbortedError);
  });

  it('property: total sleep never exceeds maxElapsedMs and attempts never exceed maxAttempts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(502, 503, 429, 500), { minLength: 1, maxLength: 5 }),
        async (maxAttempts, maxElapsedMs, randoms, statuses) => {
          const env = fakeEnv(randoms);
          let calls = 0;
          await withRetry(async () => {
            throw http(statuses[calls++ % statuses.length], { 'retry-after': '1' });
          }, { maxAttempts, maxElapsedMs }, env).catch(() => undefined);
          expect(calls).toBeLessThanOrEqual(maxAttempts);
          expect(env.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(maxElapsedMs);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
