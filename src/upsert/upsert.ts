/**
 * The robust upsert (upsert.md, "The robust core"). Every attempt starts with a search, so a
 * retry after an unknown outcome, a lost race or a stale UID always acts on the current state;
 * creates use a deterministic UID with CREATE_AND_UPDATE, so even a search that misses a
 * just-committed create cannot produce a second entity.
 */
import type { Dhis2Client } from '../client/dhis2-client.js';
import { AbortedError, AmbiguousMatchError, Dhis2ConflictError, HarnessError, InvalidOptionsError } from '../errors.js';
import { attributeMeta, type AttributeMeta } from './attribute-meta.js';
import { classifyConflicts } from './api/conflicts.js';
import { CountingHttp } from './api/http.js';
import { type ApiChoice, chooseApi, validateApiChoice } from './api/select.js';
import type { ApiKind, TeApi } from './api/types.js';
import { createUidFor, keyOf, selectMatches } from './key.js';
import { mergeAttributes } from './merge.js';
import { parseRecord, recordKey, type UpsertRecord, type ValidRecord } from './record.js';
import { childApiFor, upsertChildren } from './children/index.js';
import { REAL_ENV, RetryBudget, type RetryEnv, type RetryOptions } from './retry-policy.js';
import { normalizedKeyValue } from '../uid.js';
import { singleFlight } from './single-flight.js';
import type { EnrollmentResult, EventResult } from './children/types.js';

export type UpsertAction = 'created' | 'updated' | 'unchanged';

export interface UpsertOptions {
  /** Which write API; 'auto' (default) = legacy on 2.35, tracker from 2.36. */
  api?: ApiChoice;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  /** Injected clock, sleep and randomness (tests); defaults to real timers. */
  env?: Partial<RetryEnv>;
  /** Serialise concurrent upserts of the same key in this process (default true). */
  singleFlight?: boolean;
  /**
   * Move an adopted entity to the record's org unit (default false: the registration org unit
   * of an existing entity is kept, since moving changes ownership and org-unit-scoped uniqueness).
   */
  moveOrgUnit?: boolean;
  /** How often a non-unique conflict or a vanished entity may trigger a re-search (default 3). */
  maxConflictRecoveries?: number;
}

export interface UpsertResult {
  uid: string;
  action: UpsertAction;
  /** Search-and-write cycles used (1 unless something was retried or recovered). */
  attempts: number;
  /** HTTP requests this upsert sent (version detection, shared per client, excluded). */
  requests: number;
  api: ApiKind;
  /** One per enrollment of the record, in record order (only when the record has enrollments). */
  enrollments?: EnrollmentResult[];
  /** One per event of the record, in record order (only when the record has enrollments). */
  events?: EventResult[];
}

/** Soft-deleted deterministic UIDs skipped before giving up (each needs a deliberate delete). */
const MAX_UID_GENERATIONS = 8;

export interface PreparedUpsert {
  api: TeApi;
  meta: AttributeMeta;
}

export function validateOptions(options: UpsertOptions): { choice: ApiChoice; env: RetryEnv; maxRecoveries: number } {
  if (options === null || typeof options !== 'object') throw new InvalidOptionsError('upsert options must be an object');
  const choice = validateApiChoice(options.api);
  const maxRecoveries = options.maxConflictRecoveries ?? 3;
  if (!Number.isInteger(maxRecoveries) || maxRecoveries < 0) {
    throw new InvalidOptionsError(`options.maxConflictRecoveries must be a non-negative integer, not ${String(options.maxConflictRecoveries)}`);
  }
  for (const [k, v] of Object.entries(options.retry ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidOptionsError(`options.retry.${k} must be a non-negative number`);
  }
  return { choice, env: { ...REAL_ENV, ...options.env }, maxRecoveries };
}

/** Upsert one tracked entity by its key attribute value. */
export async function upsertTrackedEntity(client: Dhis2Client, input: UpsertRecord, options: UpsertOptions = {}): Promise<UpsertResult> {
  const record = parseRecord(input);
  const opts = validateOptions(options);
  if (options.signal?.aborted) throw new AbortedError(options.signal.reason);
  const flightKey = flightKeyOf(client, record);
  const run = async () => {
    const http = new CountingHttp(client);
    return withChildren(http, record, await upsertValidated(http, record, options, opts), options, opts);
  };
  return options.singleFlight === false ? run() : singleFlight(flightKey, run, options.signal);
}

/**
 * The record's enrollments and events, once its entity is resolved (children/index.ts), added to
 * the entity's result; `requests` then counts everything sent on `http` since `r` began.
 */
export async function withChildren(
  http: CountingHttp, record: ValidRecord, r: UpsertResult, options: UpsertOptions, opts: ReturnType<typeof validateOptions>,
): Promise<UpsertResult> {
  if (!record.enrollments) return r;
  const before = http.count;
  const version = await http.client.detectVersion(options.signal);
  const api = childApiFor(r.api, version, opts.env.sleep);
  const children = await upsertChildren(http, api, r.uid, record.orgUnit, record.enrollments, {
    signal: options.signal, retry: options.retry, env: opts.env, maxRecoveries: opts.maxRecoveries,
  });
  return { ...r, requests: r.requests + (http.count - before), enrollments: children.enrollments, events: children.events };
}

/** The single-flight key of a validated record on a client. */
export function flightKeyOf(client: Dhis2Client, record: UpsertRecord): string {
  return JSON.stringify([client.origin, record.trackedEntityType, record.matchAttribute, normalizedKeyValue(recordKey(record))]);
}

/**
 * The upsert loop for an already validated record, counting requests on `http` (upsertMany
 * passes its own counter so fallbacks are included in its total). No single-flight here.
 */
export async function upsertValidated(
  http: CountingHttp,
  record: UpsertRecord,
  options: UpsertOptions,
  opts: ReturnType<typeof validateOptions>,
  /** a write already sent for this record whose outcome is unknown (upsertMany's lost batch) */
  sent?: { uid: string; action: UpsertAction },
): Promise<UpsertResult> {
  const { signal } = options;
  const client = http.client;
  const startCount = http.count;
  const budget = new RetryBudget(options.retry, opts.env);
  let prepared: PreparedUpsert | undefined;
  let generation = 0;
  let recoveries = 0;
  // The last write sent. If its outcome was unknown and a later attempt finds the entity already
  // as wanted, the write did commit: report its action rather than 'unchanged'. (Kept even after
  // a definite failure of a later write, since an earlier one may still have committed.)
  let pending: { uid: string; action: UpsertAction } | undefined = sent;

  const done = (uid: string, action: UpsertAction): UpsertResult => ({
    uid,
    action: action === 'unchanged' && pending?.uid === uid ? pending.action : action,
    attempts: budget.attempts,
    requests: http.count - startCount,
    api: prepared!.api.kind,
  });

  for (;;) {
    budget.begin();
    let phase: 'read' | 'create' | 'update' = 'read';
    // a write the server definitely rejected did not happen: what was pending before it still is
    const pendingBefore = pending;
    try {
      prepared ??= await prepare(client, http, record, opts.choice, opts.env, signal);
      const { api, meta } = prepared;
      const key = keyOf(record, meta);
      const found = await api.search(http, { trackedEntityType: key.trackedEntityType, attribute: key.attribute, values: [key.value], orgUnit: key.orgUnit }, signal);
      const matches = selectMatches(found, key, meta, api.kind);
      if (matches.length > 1) {
        throw new AmbiguousMatchError({ uids: matches.map((m) => m.uid), attribute: key.attribute, value: key.value });
      }
      if (matches.length === 1) {
        // decide on the primary copy: a search answered from a lagging replica would make a needed
        // write look unchanged (found by the harness with a stale-search fault)
        const m = await api.read(http, matches[0].uid, signal);
        if (!m) {
          // found by the search, gone on the primary: deleted meanwhile, or a stale search
          if (recoveries >= opts.maxRecoveries) {
            throw new HarnessError(`The search for ${key.attribute}=${key.value} keeps returning ${matches[0].uid}, which cannot be read by UID (deleted?). Check the entity in DHIS2, then run the upsert again.`);
          }
          recoveries++;
          await budget.wait(budget.next(new Error('matched entity vanished'), { force: true, immediate: recoveries === 1 }), signal);
          continue;
        }
        const merged = mergeAttributes(m.attributes, record.attributes);
        const orgUnit = options.moveOrgUnit ? record.orgUnit : (m.orgUnit ?? record.orgUnit);
        if (!merged.changed && (m.orgUnit === undefined || m.orgUnit === orgUnit)) return done(m.uid, 'unchanged');
        phase = 'update';
        pending = { uid: m.uid, action: pending?.uid === m.uid ? pending.action : 'updated' };
        await api.update(http, { uid: m.uid, trackedEntityType: record.trackedEntityType, orgUnit, attributes: merged.attributes }, signal);
        return done(m.uid, pending.action);
      }
      phase = 'create';
      const uid = createUidFor(key, generation);
      // A stale search can miss our own earlier create; the server then turns this one into an update.
      const prior = pending?.uid === uid ? pending.action : undefined;
      pending = { uid, action: prior ?? 'created' };
      const attributes = record.attributes.filter((a) => a.value.trim() !== '');
      const w = await api.create(http, { uid, trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes }, signal);
      return done(uid, w.created ? 'created' : (prior ?? 'updated'));
    } catch (err) {
      // a write the server answered with a definite rejection (a 409, a 429) did not happen
      if (phase !== 'read' && (err as { outcomeUnknown?: unknown }).outcomeUnknown === false) pending = pendingBefore;
      if (err instanceof Dhis2ConflictError && phase !== 'read') {
        // A definite rejection: nothing of this write was applied, so re-read and decide again.
        const kind = classifyConflicts(err.conflicts);
        if (kind === 'uid-deleted' && phase === 'create' && generation < MAX_UID_GENERATIONS) {
          generation++;
          await budget.wait(budget.next(err, { force: true, immediate: true }), signal);
          continue;
        }
        const recoverable =
          kind === 'non-unique' || kind === 'uid-taken' || ((kind === 'not-found' || kind === 'uid-deleted') && phase === 'update');
        if (recoverable && recoveries < opts.maxRecoveries) {
          recoveries++;
          // First re-search at once (someone just won the race); later ones back off in case
          // the search is served from a lagging replica.
          await budget.wait(budget.next(err, { force: true, immediate: recoveries === 1 }), signal);
          continue;
        }
        if (kind === 'non-unique') throw invisibleHolder(err);
        throw err;
      }
      await budget.wait(budget.next(err), signal);
    }
  }
}

/**
 * The value is taken, yet re-searching never finds the holder: it is outside this user's search
 * scope, or soft-deleted (the tracker API counts deleted entities for uniqueness, spec §3.4).
 */
function invisibleHolder(err: Dhis2ConflictError): Dhis2ConflictError {
  return new Dhis2ConflictError(
    { status: err.status, method: err.method, url: err.url, body: err.body, headers: err.headers },
    err.conflicts,
    `${err.conflicts[0]?.value ?? 'Non-unique attribute value'}: the value is held by an entity this user's search cannot see ` +
      `(outside its search scope, or soft-deleted: the tracker API counts deleted entities for uniqueness). Nothing was written; ` +
      `widen the user's search scope, or free the value in DHIS2.`,
  );
}

/** Version, API and key-attribute metadata: fetched once per upsert (answers cached per client). */
export async function prepare(
  client: Dhis2Client,
  http: CountingHttp,
  record: UpsertRecord,
  choice: ApiChoice,
  env: RetryEnv,
  signal?: AbortSignal,
): Promise<PreparedUpsert> {
  const version = await client.detectVersion(signal);
  const api = chooseApi(choice, version, env.sleep);
  const meta = await attributeMeta(http, record.matchAttribute, signal);
  return { api, meta };
}
