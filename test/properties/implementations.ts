/** The implementations the property suites verify: the robust core per API, and the broken ones. */
import type { BatchImplementation, Implementation } from '../../src/harness/types.js';
import { clientFor } from '../../src/upsert/context-client.js';
import { upsertMany } from '../../src/upsert/upsert-many.js';
import { upsertTrackedEntity } from '../../src/upsert/upsert.js';

/** Fast retries: the fault plans stop, so a short backoff converges and keeps the suite quick. */
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 8, maxElapsedMs: 10_000 };

export function robustOn(api: 'legacy' | 'tracker' | 'auto'): Implementation {
  return (record, ctx) => upsertTrackedEntity(clientFor(ctx), record, { api, retry: FAST_RETRY, signal: ctx.signal, ...(ctx.clock ? { env: ctx.clock } : {}) });
}

export function robustManyOn(api: 'legacy' | 'tracker' | 'auto'): BatchImplementation {
  return async (records, ctx) => (await upsertMany(clientFor(ctx), records, { api, retry: FAST_RETRY, signal: ctx.signal, ...(ctx.clock ? { env: ctx.clock } : {}) })).results;
}
