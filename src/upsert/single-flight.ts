/**
 * Per-key serialisation inside one process: two upserts of the same key never interleave their
 * search and write, which closes the check-then-act window between them. (Across processes only
 * the deterministic UID and re-search protect; that is what the rest of the core is for.)
 */
import { AbortedError } from '../errors.js';

const tails = new Map<string, Promise<void>>();

function waitFor(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new AbortedError(signal.reason));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/**
 * Runs `fn` after every earlier call with the same key has settled. A caller aborted while queued
 * leaves without running, and the queue order of the others is preserved.
 */
export async function singleFlight<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const prev = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = prev.then(() => mine);
  tails.set(key, tail);
  try {
    await waitFor(prev, signal);
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Keys currently held or queued (for tests and diagnostics). */
export function inFlightKeys(): string[] {
  return [...tails.keys()];
}
