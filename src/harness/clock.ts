/**
 * The clock a run hands to implementations (ctx.clock). Scheduled runs use virtual time: their
 * interleaving is the scheduler's choice alone, so a backoff or a Retry-After wait changes nothing
 * but the wall time; `sleep` advances the clock and resolves at once. Runs with real concurrency
 * use real time, where waiting is part of the race.
 */
import { AbortedError } from '../errors.js';
import { realSleep } from '../upsert/retry-policy.js';

export interface HarnessClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: HarnessClock = { now: () => Date.now(), sleep: realSleep };

export function virtualClock(start = Date.now()): HarnessClock {
  let t = start;
  return {
    now: () => t,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(new AbortedError(signal.reason));
      t += Math.max(0, ms);
      // yield, so a retry loop cannot starve the event loop
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}
