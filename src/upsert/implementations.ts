/**
 * Every upsert the package ships, in the shapes the harness takes: `(record, ctx) => Promise` and,
 * for bulk upserts, `(records, ctx) => Promise<results>`. `robust` is the core, `robustMany` its bulk
 * path (`upsertMany`); the others are the reference upserts they are measured against.
 */
import { references } from '../reference/index.js';
import { clientFor, type HarnessContext } from './context-client.js';
import type { UpsertRecord } from './record.js';
import { upsertMany, type UpsertManyItem } from './upsert-many.js';
import { upsertTrackedEntity, type UpsertResult } from './upsert.js';

export type UpsertImplementation = (record: UpsertRecord, ctx: HarnessContext) => Promise<unknown>;
export type BatchUpsertImplementation = (records: UpsertRecord[], ctx: HarnessContext) => Promise<unknown[]>;

/** The retry environment from the harness's clock, when it offers one (virtual time). */
function envOf(ctx: HarnessContext) {
  return ctx.clock ? { env: { now: () => ctx.clock!.now(), sleep: (ms: number, signal?: AbortSignal) => ctx.clock!.sleep(ms, signal) } } : {};
}

export const robust = (record: UpsertRecord, ctx: HarnessContext): Promise<UpsertResult> =>
  upsertTrackedEntity(clientFor(ctx), record, { signal: ctx.signal, ...envOf(ctx) });

/** `upsertMany` as a batch implementation: one result per record, `{ ok, uid, action }` or `{ ok: false, error }`. */
export const robustMany = async (records: UpsertRecord[], ctx: HarnessContext): Promise<UpsertManyItem[]> =>
  (await upsertMany(clientFor(ctx), records, { signal: ctx.signal, ...envOf(ctx) })).results;

export const implementations = {
  robust,
  robustMany,
  ...references,
} as const;

/** The names of the batch implementations among `implementations`. */
export const BATCH_IMPLEMENTATIONS: ReadonlySet<string> = new Set(['robustMany']);

export type ImplementationName = keyof typeof implementations;
