/**
 * Every upsert the package ships, in the one shape the harness takes: `(record, ctx) => Promise`.
 * `robust` is the core; the others are the reference upserts it is measured against.
 */
import { references } from '../reference/index.js';
import { clientFor, type HarnessContext } from './context-client.js';
import type { UpsertRecord } from './record.js';
import { upsertTrackedEntity, type UpsertResult } from './upsert.js';

export type UpsertImplementation = (record: UpsertRecord, ctx: HarnessContext) => Promise<unknown>;

export const robust = (record: UpsertRecord, ctx: HarnessContext): Promise<UpsertResult> =>
  upsertTrackedEntity(clientFor(ctx), record, { signal: ctx.signal });

export const implementations = {
  robust,
  ...references,
} as const;

export type ImplementationName = keyof typeof implementations;
