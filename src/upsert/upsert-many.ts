/**
 * Bulk upsert: one search per many keys (`filter=KEY:IN:a;b;c`), one import per many entities,
 * so the request count per record falls far below the one-at-a-time path. Anything the bulk
 * path cannot settle with certainty (lost batch responses, conflicts, entities the report does
 * not mention) falls back to the single-record upsert, which re-searches and retries safely.
 */
import type { Dhis2Client } from '../client/dhis2-client.js';
import { AbortedError, AmbiguousMatchError, Dhis2ConflictError, InvalidOptionsError } from '../errors.js';
import { attributeMeta, type AttributeMeta } from './attribute-meta.js';
import { classifyConflicts } from './api/conflicts.js';
import { inSafe, keyFilter } from './api/filter.js';
import { CountingHttp } from './api/http.js';
import { chooseApi } from './api/select.js';
import type { EntityPayload, TeApi } from './api/types.js';
import { createUidFor, keyId, keyOf, selectMatches, type UpsertKey } from './key.js';
import { mergeAttributes } from './merge.js';
import { chunkBy, mapPool } from './pool.js';
import { type AttributeValue, parseRecord, type UpsertRecord, type ValidRecord } from './record.js';
import { ChildPhase, concatEnrollments, type Settle } from './many-children.js';
import { type RetryEnv, withRetry } from './retry-policy.js';
import { singleFlight } from './single-flight.js';
import type { EnrollmentResult, EventResult } from './children/types.js';
import { flightKeyOf, type UpsertAction, type UpsertOptions, upsertValidated, validateOptions } from './upsert.js';

export interface UpsertManyProgress {
  total: number;
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface UpsertManyOptions extends Omit<UpsertOptions, 'singleFlight'> {
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Entities per import request (default 50). */
  batchSize?: number;
  /** Upper bound for a search URL, in characters (default 6000). */
  maxUrlLength?: number;
  onProgress?: (p: UpsertManyProgress) => void;
}

export type UpsertManyItem =
  | { index: number; ok: true; uid: string; action: UpsertAction; enrollments?: EnrollmentResult[]; events?: EventResult[] }
  | { index: number; ok: false; error: Error };

export interface UpsertManyResult {
  /** One entry per input record, in input order (records with the same key share the outcome). */
  results: UpsertManyItem[];
  requests: number;
  counts: Omit<UpsertManyProgress, 'total' | 'done'>;
}

interface Group {
  record: ValidRecord;
  key: UpsertKey;
  meta: AttributeMeta;
  indices: number[];
  /** the bulk write sent for it whose outcome is unknown: the single path reports its action if it committed */
  sent?: { uid: string; action: UpsertAction };
}

interface Planned {
  group: Group;
  payload: EntityPayload;
  intent: 'created' | 'updated';
}

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 1) throw new InvalidOptionsError(`options.${name} must be a positive integer, not ${String(v)}`);
  return v;
}

/** Later records with the same key override earlier values; attributes only earlier ones name are kept. */
function overlay(a: readonly AttributeValue[], b: readonly AttributeValue[]): AttributeValue[] {
  const m = new Map(a.map((x) => [x.attribute, x.value]));
  for (const x of b) m.set(x.attribute, x.value);
  return [...m].map(([attribute, value]) => ({ attribute, value }));
}

export async function upsertMany(client: Dhis2Client, records: readonly UpsertRecord[], options: UpsertManyOptions = {}): Promise<UpsertManyResult> {
  if (!Array.isArray(records)) throw new InvalidOptionsError('upsertMany needs an array of records');
  const opts = validateOptions(options);
  const concurrency = positiveInt('concurrency', options.concurrency, 4);
  const batchSize = positiveInt('batchSize', options.batchSize, 50);
  const maxUrl = positiveInt('maxUrlLength', options.maxUrlLength, 6000);
  const { signal } = options;
  const http = new CountingHttp(client);
  const results = new Array<UpsertManyItem>(records.length);
  const progress: UpsertManyProgress = { total: records.length, done: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };

  const settle: Settle = (indices, outcome) => {
    for (const index of indices) {
      if (results[index]) continue;
      if ('error' in outcome) {
        results[index] = { index, ok: false, error: outcome.error };
        progress.failed++;
      } else {
        results[index] = { index, ok: true, ...outcome };
        progress[outcome.action]++;
      }
      progress.done++;
    }
    options.onProgress?.({ ...progress });
  };

  const valid: { index: number; record: ValidRecord }[] = [];
  records.forEach((r, index) => {
    try {
      valid.push({ index, record: parseRecord(r) });
    } catch (error) {
      settle([index], { error: error as Error });
    }
  });

  if (valid.length > 0) {
    const version = await withRetry(() => client.detectVersion(signal), options.retry, opts.env, signal);
    const api = chooseApi(opts.choice, version, opts.env.sleep);
    const metas = new Map<string, AttributeMeta>();
    for (const attr of new Set(valid.map((v) => v.record.matchAttribute))) {
      metas.set(attr, await withRetry(() => attributeMeta(http, attr, signal), options.retry, opts.env, signal));
    }

    const groups = new Map<string, Group>();
    for (const { index, record } of valid) {
      const meta = metas.get(record.matchAttribute)!;
      const key = keyOf(record, meta);
      const id = keyId(client.origin, key);
      const g = groups.get(id);
      if (g) {
        g.record = { ...record, attributes: overlay(g.record.attributes, record.attributes), enrollments: concatEnrollments(g.record.enrollments, record.enrollments) };
        g.indices.push(index);
      } else groups.set(id, { record, key, meta, indices: [index] });
    }

    const fallback: Group[] = [];
    const byIndex = new Map<number, Group>();
    for (const g of groups.values()) for (const i of g.indices) byIndex.set(i, g);
    // records with enrollments are settled after their children (many-children.ts)
    const children = new ChildPhase(settle, (i) => byIndex.get(i)?.record);
    const settleEntity = children.settleEntity;
    const planned = await searchAndPlan(api, http, [...groups.values()], { maxUrl, concurrency, options, env: opts.env, settle: settleEntity, fallback });
    await writeBatches(api, http, planned, { batchSize, concurrency, signal, settle: settleEntity, fallback });

    await mapPool(fallback, concurrency, async (g) => {
      try {
        const r = await singleFlight(flightKeyOf(client, g.record), () => upsertValidated(http, g.record, options, opts, g.sent), signal);
        settleEntity(g.indices, { uid: r.uid, action: r.action });
      } catch (error) {
        settle(g.indices, { error: error as Error });
      }
    });
    await children.run(client, http, api.kind, options, opts, concurrency);
  }

  const { total: _t, done: _d, ...counts } = progress;
  return { results, requests: http.count, counts };
}

interface PlanCtx {
  maxUrl: number;
  concurrency: number;
  options: UpsertManyOptions;
  env: RetryEnv;
  settle: Settle;
  fallback: Group[];
}

async function searchAndPlan(api: TeApi, http: CountingHttp, groups: Group[], ctx: PlanCtx): Promise<Planned[]> {
  const { options, env } = ctx;
  const buckets = new Map<string, Group[]>();
  for (const g of groups) {
    const b = JSON.stringify([g.key.trackedEntityType, g.key.attribute, g.key.orgUnit ?? null]);
    buckets.set(b, [...(buckets.get(b) ?? []), g]);
  }
  const chunks: Group[][] = [];
  for (const list of buckets.values()) {
    const safe = list.filter((g) => inSafe(api.kind, api.version, g.key.value));
    for (const g of list) if (!inSafe(api.kind, api.version, g.key.value)) chunks.push([g]);
    // Leave room for the path and the other parameters (about 400 characters).
    const budget = ctx.maxUrl - 400 - encodeURIComponent(keyFilter(api.kind, api.version, list[0].key.attribute, ['x', 'y'])).length;
    chunks.push(...chunkBy(safe, Math.max(100, budget), (g) => encodeURIComponent(g.key.value.trim() + ';').length, 500));
  }
  const planned: Planned[] = [];
  await mapPool(chunks, ctx.concurrency, async (chunk) => {
    const k0 = chunk[0].key;
    let found;
    try {
      const values = chunk.map((g) => g.key.value);
      found = await withRetry(
        () => api.search(http, { trackedEntityType: k0.trackedEntityType, attribute: k0.attribute, values, orgUnit: k0.orgUnit }, options.signal),
        options.retry, env, options.signal,
      );
    } catch (error) {
      for (const g of chunk) ctx.settle(g.indices, { error: error as Error });
      return;
    }
    for (const g of chunk) {
      const matches = selectMatches(found, g.key, g.meta, api.kind);
      if (matches.length > 1) {
        ctx.settle(g.indices, { error: new AmbiguousMatchError({ uids: matches.map((m) => m.uid), attribute: g.key.attribute, value: g.key.value }) });
      } else if (matches.length === 1) {
        const m = matches[0];
        const merged = mergeAttributes(m.attributes, g.record.attributes);
        const orgUnit = options.moveOrgUnit ? g.record.orgUnit : (m.orgUnit ?? g.record.orgUnit);
        if (!merged.changed && (m.orgUnit === undefined || m.orgUnit === orgUnit)) ctx.settle(g.indices, { uid: m.uid, action: 'unchanged' });
        else planned.push({ group: g, intent: 'updated', payload: { uid: m.uid, trackedEntityType: g.key.trackedEntityType, orgUnit, attributes: merged.attributes } });
      } else {
        const attributes = g.record.attributes.filter((a) => a.value.trim() !== '');
        planned.push({ group: g, intent: 'created', payload: { uid: createUidFor(g.key), trackedEntityType: g.key.trackedEntityType, orgUnit: g.record.orgUnit, attributes } });
      }
    }
  });
  return planned;
}

interface WriteCtx {
  batchSize: number;
  concurrency: number;
  signal?: AbortSignal;
  settle: PlanCtx['settle'];
  fallback: Group[];
}

async function writeBatches(api: TeApi, http: CountingHttp, planned: Planned[], ctx: WriteCtx): Promise<void> {
  // creates are imported with CREATE_AND_UPDATE; updates go where partial updates merge (see TeApi.updateMany)
  const batches = [
    ...chunkBy(planned.filter((p) => p.intent === 'created'), ctx.batchSize, () => 1),
    ...chunkBy(planned.filter((p) => p.intent === 'updated'), ctx.batchSize, () => 1),
  ];
  await mapPool(batches, ctx.concurrency, async (batch) => {
    const payloads = batch.map((p) => p.payload);
    let report;
    try {
      report = await (batch[0].intent === 'created' ? api.createMany(http, payloads, ctx.signal) : api.updateMany(http, payloads, ctx.signal));
    } catch (error) {
      // Lost or rejected as a whole: each record goes through the single path, which re-searches
      // first (a committed create is found by its deterministic UID) and isolates bad records.
      if (error instanceof AbortedError) for (const p of batch) ctx.settle(p.group.indices, { error });
      else for (const p of batch) ctx.fallback.push(error instanceof Dhis2ConflictError ? p.group : sentFor(p));
      return;
    }
    for (const p of batch) {
      const r = report.get(p.payload.uid) ?? { status: 'unknown' as const };
      if (r.status === 'ok') {
        ctx.settle(p.group.indices, { uid: p.payload.uid, action: p.intent === 'created' && r.created === false ? 'updated' : p.intent });
      } else if (r.status === 'failed' && classifyConflicts(r.conflicts) === 'other') {
        const error = new Dhis2ConflictError({ status: 409, method: 'POST', url: api.kind === 'legacy' ? 'trackedEntityInstances' : 'tracker', body: r.conflicts }, r.conflicts);
        ctx.settle(p.group.indices, { error });
      } else {
        ctx.fallback.push(r.status === 'unknown' && !r.notWritten ? sentFor(p) : p.group);
      }
    }
  });
}

/** A record whose bulk write may have committed: the single path reports the intended action if it finds it done. */
function sentFor(p: Planned): Group {
  return { ...p.group, sent: { uid: p.payload.uid, action: p.intent } };
}
