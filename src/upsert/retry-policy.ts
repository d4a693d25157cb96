/**
 * When and how long to wait before another attempt. Only failures that may succeed on repetition
 * are retried: unknown outcomes (transport errors, 5xx) and explicit back-pressure (429, 503).
 * A 4xx is a statement about the request, so repeating it is pointless. Clock, sleep and random
 * are injected so tests run without real timers.
 */
import { AbortedError, HttpError, RetryBudgetExceededError, TransportError } from '../errors.js';

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Give up when the next wait would end later than this after the first attempt started. */
  maxElapsedMs: number;
  /** Backoff base: the first retry waits up to this long. */
  baseDelayMs: number;
  /** Cap of the exponential backoff window (Retry-After may exceed it, up to maxElapsedMs). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, maxElapsedMs: 60_000, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface RetryEnv {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const REAL_ENV: RetryEnv = { now: () => Date.now(), sleep: realSleep, random: Math.random };

/** True for failures worth another attempt (after a re-search, for writes). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TransportError) return true; // 'connect' never reached the server; others are unknown outcomes
  if (err instanceof HttpError && err.code === 'HTTP_ERROR') {
    if (err.status === 429 || err.status === 503 || err.status === 408) return true;
    return err.status >= 500 && err.status !== 501 && err.status !== 505;
  }
  return false;
}

/** Server-requested wait for 429/503, in ms. */
export function retryAfterOf(err: unknown, now: number): number | undefined {
  if (err instanceof HttpError && (err.status === 429 || err.status === 503)) return err.retryAfterMs(now);
  return undefined;
}

/** Full-jitter exponential backoff: uniform in [0, min(maxDelay, base·2^(retry-1))). */
export function backoffDelay(retry: number, opts: RetryOptions, random: () => number): number {
  const window = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * window);
}

/**
 * One operation's retry budget. `next(err)` either returns the wait before the next attempt or
 * throws: the error itself when it is not retryable, RetryBudgetExceededError when attempts or
 * time ran out.
 */
export class RetryBudget {
  readonly opts: RetryOptions;
  private readonly env: RetryEnv;
  private readonly startedAt: number;
  private attemptsMade = 0;
  private retries = 0;

  constructor(opts: Partial<RetryOptions> | undefined, env: RetryEnv) {
    this.opts = { ...DEFAULT_RETRY, ...opts };
    if (!(this.opts.maxAttempts >= 1)) this.opts.maxAttempts = 1;
    this.env = env;
    this.startedAt = env.now();
  }

  get attempts(): number {
    return this.attemptsMade;
  }

  get elapsedMs(): number {
    return this.env.now() - this.startedAt;
  }

  /** Call at the start of every attempt. */
  begin(): void {
    this.attemptsMade++;
  }

  /**
   * Wait before the next attempt after `err`. `force` treats the error as retryable (conflict
   * recovery); `immediate` skips the backoff (the first re-search after a conflict needs none).
   */
  next(err: unknown, opts: { force?: boolean; immediate?: boolean } = {}): number {
    if (!opts.force && !isRetryable(err)) throw err;
    const elapsed = this.elapsedMs;
    if (this.attemptsMade >= this.opts.maxAttempts) {
      throw new RetryBudgetExceededError({ attempts: this.attemptsMade, elapsedMs: elapsed, lastError: err });
    }
    if (opts.immediate) return 0;
    this.retries++;
    const jitter = backoffDelay(this.retries, this.opts, this.env.random);
    const asked = retryAfterOf(err, this.env.now());
    const delay = asked === undefined ? jitter : Math.max(asked, jitter);
    if (elapsed + delay > this.opts.maxElapsedMs) {
      throw new RetryBudgetExceededError({ attempts: this.attemptsMade, elapsedMs: elapsed, lastError: err });
    }
    return delay;
  }

  /** Sleep `ms` through the injected env; rejects with AbortedError when the signal fires. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new AbortedError(signal.reason);
    if (ms > 0) await this.env.sleep(ms, signal);
    if (signal?.aborted) throw new AbortedError(signal.reason);
  }
}

/** Runs `fn` until it succeeds, a non-retryable error occurs, or the budget is spent. */
export async function withRetry<T>(fn: () => Promise<T>, opts: Partial<RetryOptions> | undefined, env: RetryEnv, signal?: AbortSignal): Promise<T> {
  const budget = new RetryBudget(opts, env);
  for (;;) {
    budget.begin();
    try {
      return await fn();
    } catch (err) {
      await budget.wait(budget.next(err), signal);
    }
  }
}
