/**
 * Workload generation (fast-check). Everything here is pure data, so a workload in a replay file
 * means exactly the same run as the generated one; `keys.ts` maps it to concrete records.
 */
import fc from 'fast-check';
import type { UniquenessMode } from '../../mock-server/index.js';
import { enrollmentArb, hasJobs, normalizeJobs, type JobConstraints } from './jobs/workload-jobs.js';
import { identityOf } from './keys.js';
import {
  FAULT_KINDS,
  KEY_KINDS,
  KEY_VARIANTS,
  ORG_UNIT_SLOTS,
  type FaultKind,
  type FaultRule,
  type KeyKind,
  type OpSpec,
  type OrgUnitSlot,
  type PreexistingSpec,
  type Workload,
} from './types.js';

export interface WorkloadConstraints {
  /** DHIS2 versions to draw from (default 2.35, 2.38, 2.40, 2.41, 2.42) */
  dhis2Versions?: string[];
  /** emulator uniqueness modes (default racy, atomic, off) */
  uniqueness?: UniquenessMode[];
  /** key attribute kinds (default unique, non-unique, scoped) */
  keyKinds?: KeyKind[];
  /** distinct keys per workload (default 2) */
  maxKeys?: number;
  /** rounds per workload (default 3) */
  maxRounds?: number;
  /** operations per workload, all rounds together (default 6) */
  maxOps?: number;
  /** at least this many operations (default 1); a proof whose story needs three sets 3 */
  minOps?: number;
  /** simulated job runs (clients) per workload; one client's operations run one after another (default 3) */
  maxClients?: number;
  /** job runs running at once (default: maxClients; 1 = strictly sequential, one client, no other system) */
  maxConcurrency?: number;
  /** generate entities that exist before the run: ambiguous, soft-deleted, holding a derived UID (default true) */
  preexisting?: boolean;
  /** generate faults (default true) */
  faults?: boolean;
  /** fault kinds to draw from (default all of FAULT_KINDS) */
  faultKinds?: FaultKind[];
  /** faults per workload (default 3) */
  maxFaults?: number;
  /** records may leave out optional attributes, and the first name of a key that exists (default true) */
  partialRecords?: boolean;
  /** keys come in several spellings (case, padding) that mean the same patient (default true) */
  keyVariants?: boolean;
  /** another system writes too: creates and updates of the same patients during the run (default true) */
  otherWriters?: boolean;
  /**
   * Records also enroll their patient and record visits (issue 17: enrollments with events, checked
   * for DUPLICATE_ENROLLMENT, DUPLICATE_EVENT, LOST_DATA_VALUE); CLI `--with-events` (default
   * false). An object narrows it: `{ programs: ['child'], visitKeys: 1, maxVisits: 1 }`.
   */
  events?: boolean | JobConstraints;
}

export const DEFAULT_VERSIONS = ['2.35', '2.38', '2.40', '2.41', '2.42'];

export function resolveConstraints(c: WorkloadConstraints = {}): Required<WorkloadConstraints> {
  const maxClients = Math.max(1, c.maxClients ?? 3);
  return {
    dhis2Versions: c.dhis2Versions?.length ? c.dhis2Versions : DEFAULT_VERSIONS,
    uniqueness: c.uniqueness?.length ? c.uniqueness : ['racy', 'atomic', 'off'],
    keyKinds: c.keyKinds?.length ? c.keyKinds : [...KEY_KINDS],
    maxKeys: c.maxKeys ?? 2,
    maxRounds: c.maxRounds ?? 3,
    maxOps: c.maxOps ?? 6,
    minOps: Math.max(1, Math.min(c.minOps ?? 1, c.maxOps ?? 6)),
    maxClients,
    maxConcurrency: Math.max(1, c.maxConcurrency ?? maxClients),
    preexisting: c.preexisting ?? true,
    faults: c.faults ?? true,
    faultKinds: c.faultKinds?.length ? c.faultKinds : [...FAULT_KINDS],
    maxFaults: c.maxFaults ?? 3,
    partialRecords: c.partialRecords ?? true,
    keyVariants: c.keyVariants ?? true,
    otherWriters: c.otherWriters ?? true,
    events: c.events ?? false,
  };
}

export const NAMES = ['Ama', 'Bintu', 'Chernor', 'Dauda'];
export const SURNAMES = ['Kamara', 'Sesay', 'Bangura'];

/** Shrinks toward the first element: index 0 of every choice is the simplest story. */
function oneOf<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.integer({ min: 0, max: values.length - 1 }).map((i) => values[i]);
}

/** Usually `simple`, sometimes something else; shrinks toward `simple`. */
function mostly<T>(simple: T, other: fc.Arbitrary<T>, weight = 3): fc.Arbitrary<T> {
  return fc.oneof({ weight, arbitrary: fc.constant(simple) }, { weight: 1, arbitrary: other });
}

function opArb(c: Required<WorkloadConstraints>): fc.Arbitrary<OpSpec & { round: number }> {
  const clients = Math.min(c.maxClients, c.maxConcurrency);
  return fc
    .record({
      // shrinks toward 0: toward "everything in one round", the shortest story
      round: fc.integer({ min: 0, max: c.maxRounds - 1 }),
      // shrinks toward client 0: one job run, i.e. toward sequential
      client: fc.integer({ min: 0, max: clients - 1 }),
      key: fc.integer({ min: 0, max: c.maxKeys - 1 }),
      variant: c.keyVariants ? mostly(0, fc.integer({ min: 1, max: KEY_VARIANTS - 1 })) : fc.constant(0),
      // 'home' dominates: records usually come from one facility
      orgUnit: mostly<OrgUnitSlot>('home', oneOf(ORG_UNIT_SLOTS), 4),
      // records from different job runs set different parts of one patient: a record may leave out
      // even the mandatory first name (of a patient that exists, see normalizeWorkload)
      firstName: c.partialRecords
        ? fc.oneof({ weight: 3, arbitrary: fc.constant<string | undefined>(NAMES[0]) }, { weight: 1, arbitrary: oneOf<string | undefined>(NAMES.slice(1)) }, { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) })
        : oneOf(NAMES),
      lastName: c.partialRecords ? fc.option(oneOf(SURNAMES), { nil: undefined }) : oneOf(SURNAMES),
      other: c.otherWriters && c.maxConcurrency > 1 ? mostly(false, fc.constant(true), 6) : fc.constant(false),
      // only with the option: without it the arbitrary (and so every seed's workload) is as before
      ...(c.events ? { enrollment: enrollmentArb(c.events === true ? {} : c.events) } : {}),
    })
    .map(({ variant, client, firstName, lastName, other, ...rest }) => ({
      ...rest,
      ...(variant ? { variant } : {}),
      ...(client ? { client } : {}),
      ...(firstName !== undefined ? { firstName } : {}),
      ...(lastName !== undefined ? { lastName } : {}),
      ...(other ? { other } : {}),
    }));
}

function preexistingArb(c: Required<WorkloadConstraints>): fc.Arbitrary<PreexistingSpec> {
  return fc
    .record({
      key: fc.integer({ min: 0, max: c.maxKeys - 1 }),
      variant: c.keyVariants ? mostly(0, fc.integer({ min: 1, max: KEY_VARIANTS - 1 })) : fc.constant(0),
      orgUnit: oneOf(ORG_UNIT_SLOTS),
      copies: fc.integer({ min: 1, max: 2 }),
      firstName: oneOf(NAMES),
      lastName: fc.option(oneOf(SURNAMES), { nil: undefined }),
      deleted: mostly(false, fc.constant(true)),
      derivedUid: mostly(false, fc.constant(true)),
    })
    .map(({ variant, lastName, deleted, derivedUid, ...rest }) => ({
      ...rest,
      ...(variant ? { variant } : {}),
      ...(lastName !== undefined ? { lastName } : {}),
      ...(deleted ? { deleted } : {}),
      ...(derivedUid ? { derivedUid, copies: 1 } : {}),
    }));
}

function faultArb(c: Required<WorkloadConstraints>): fc.Arbitrary<FaultRule> {
  return fc.record({
    op: fc.integer({ min: 0, max: Math.max(0, c.maxOps - 1) }),
    // version detection, metadata reads, searches, reads by UID and writes all fall in 0…5; most
    // operations send two or three requests, so aim there more often
    request: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 5 }) }),
    kind: oneOf(c.faultKinds),
  });
}

/**
 * Makes a drawn workload one the field can have: a soft-deleted holder only for a key without
 * uniqueness (a unique value held by a deleted entity blocks every create on the tracker API, so
 * no upsert could succeed); one holder of a key's derived UID; a record without the mandatory
 * first name only where its patient already exists (a create needs it); another system's writes
 * always name the patient.
 */
export function normalizeWorkload(w: Workload): Workload {
  const derived = new Set<string>();
  const preexisting = w.preexisting
    .map((p) => (p.deleted && w.keyKind !== 'non-unique' ? withoutKeys(p, ['deleted', 'derivedUid']) : p))
    // one entity per key can hold the key's derived UID
    .map((p) => {
      if (!p.derivedUid) return p;
      const id = identityOf(w.keyKind, p);
      if (derived.has(id)) return withoutKeys(p, ['derivedUid']);
      derived.add(id);
      return p;
    });
  const liveHolders = new Map<string, number>();
  for (const p of preexisting) if (!p.deleted) liveHolders.set(identityOf(w.keyKind, p), (liveHolders.get(identityOf(w.keyKind, p)) ?? 0) + p.copies);
  let rounds = w.rounds.map((round) =>
    round.map((op) => (op.firstName === undefined && (op.other || liveHolders.get(identityOf(w.keyKind, op)) !== 1) ? { ...op, firstName: 'Ama' } : op)),
  );
  // a story needs the implementation: the other system alone proves nothing
  if (rounds.every((r) => r.every((op) => op.other))) rounds = rounds.map((r, i) => (i === 0 ? [withoutKeys(r[0], ['other']), ...r.slice(1)] : r));
  // a fault aimed past the last operation lands on one that exists
  const total = rounds.reduce((n, r) => n + r.length, 0);
  const faults = w.faults.map((f) => (f.op < total ? f : { ...f, op: f.op % total }));
  const normal = { ...w, preexisting, rounds, faults };
  return hasJobs(normal) ? normalizeJobs(normal) : normal;
}

function withoutKeys<T extends object>(o: T, keys: (keyof T)[]): T {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

/**
 * Operations are generated as one flat list, each with a round number, and grouped afterwards:
 * fast-check then shrinks by dropping operations and by pulling them into round 0 and client 0,
 * which is how a race shrinks to "two job runs upsert one key at once".
 */
function roundsOf(ops: (OpSpec & { round: number })[]): OpSpec[][] {
  const byRound = new Map<number, OpSpec[]>();
  for (const { round, ...op } of ops) byRound.set(round, [...(byRound.get(round) ?? []), op]);
  return [...byRound].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
}

/** Workloads: overlapping keys and spellings, job runs, pre-existing entities, other writers, versions, faults. */
export function workloadArb(constraints: WorkloadConstraints = {}): fc.Arbitrary<Workload> {
  const c = resolveConstraints(constraints);
  return fc
    .record({
      dhis2Version: oneOf(c.dhis2Versions),
      uniqueness: oneOf(c.uniqueness),
      keyKind: oneOf(c.keyKinds),
      preexisting: c.preexisting ? fc.array(preexistingArb(c), { maxLength: 2 }) : fc.constant([]),
      rounds: fc.array(opArb(c), { minLength: c.minOps, maxLength: c.maxOps }).map(roundsOf),
      faults: c.faults ? fc.array(faultArb(c), { maxLength: c.maxFaults }) : fc.constant([]),
    })
    .map((w) => normalizeWorkload(w as Workload));
}

/** The main-phase operations in execution order, with their global index. */
export function flattenOps(workload: Workload): { index: number; round: number; spec: OpSpec }[] {
  const out: { index: number; round: number; spec: OpSpec }[] = [];
  workload.rounds.forEach((round, r) => round.forEach((spec) => out.push({ index: out.length, round: r, spec })));
  return out;
}

/** Key identities whose pre-existing live entities are ambiguous (more than one carries the key). */
export function ambiguousKeys(workload: Workload): Set<string> {
  const count = new Map<string, number>();
  for (const p of workload.preexisting) if (!p.deleted) count.set(identityOf(workload.keyKind, p), (count.get(identityOf(workload.keyKind, p)) ?? 0) + p.copies);
  return new Set([...count].filter(([, n]) => n > 1).map(([k]) => k));
}

/** A one-line human description, used in reports. */
export function describeWorkload(w: Workload): string {
  const ops = flattenOps(w);
  const mine = ops.filter((o) => !o.spec.other);
  const clients = new Set(mine.map((o) => o.spec.client ?? 0)).size;
  const others = ops.length - mine.length;
  const pre = w.preexisting.reduce((n, p) => n + p.copies, 0);
  const deleted = w.preexisting.filter((p) => p.deleted).reduce((n, p) => n + p.copies, 0);
  return `DHIS2 ${w.dhis2Version}, uniqueness ${w.uniqueness}, ${w.keyKind} key, ${mine.length} op(s) by ${clients} client(s) in ${w.rounds.length} round(s)${
    others ? `, ${others} write(s) by another system` : ''
  }, ${pre} pre-existing${deleted ? ` (${deleted} soft-deleted)` : ''}, ${w.faults.length} fault(s)${hasJobs(w) ? ', with enrollments and events' : ''}`;
}
