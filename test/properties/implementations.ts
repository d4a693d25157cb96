/** The implementations the property suites verify: the robust core per API, and the broken ones. */
import type { Implementation } from '../../src/harness/types.js';
import { clientFor } from '../../src/upsert/context-client.js';
import { upsertTrackedEntity } from '../../src/upsert/upsert.js';

/** Fast retries: the fault plans stop, so a short backoff converges and keeps the suite quick. */
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 8, maxElapsedMs: 10_000 };

export function robustOn(api: 'legacy' | 'tracker' | 'auto'): Implementation {
  return (record, ctx) => upsertTrackedEntity(clientFor(ctx), record, { api, retry: FAST_RETRY, signal: ctx.signal });
}
