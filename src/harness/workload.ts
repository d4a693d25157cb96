/**
 * Workload generation (fast-check) and the mapping from a workload to concrete records against
 * the built-in demo fixture. Everything here is pure data, so a workload in a replay file means
 * exactly the same run as the generated one.
 */
import fc from 'fast-check';
import { DEMO_IDS, type UniquenessMode } from '../../mock-server/index.js';
import {
  FAULT_KINDS,
  ORG_UNIT_SLOTS,
  type FaultRule,
  type HarnessRecord,
  type KeyKind,
  type OpSpec,
  type OrgUnitSlot,
  type PreexistingSpec,
  SERVER_FAULT_KINDS,
  type ServerFaultRule,
  type Workload,
} from './types.js';

export interface WorkloadConstraints {
  /** DHIS2 versions to draw from (default 2.35, 2.38, 2.40, 2.41) */
  dhis2Versions?: string[];
  /** emulator uniqueness modes (default racy, atomic, off) */
  uniqueness?: UniquenessMode[];
  /** key attribute kinds (default unique and non-unique) */
  keyKinds?: KeyKind[];
  /** distinct keys per workload (default 2) */
  maxKeys?: number;
  /** rounds per workload (default 3) */
  maxRounds?: number;
  /** operations per workload, all rounds together (default 6) */
  maxOps?: number;
  /** operations per round, i.e. how many run at once (default: maxOps; 1 = strictly sequential) */
  maxConcurrency?: number;
  /** generate entities that exist before the run, ambiguous duplicates included (default true) */
  preexisting?: boolean;
  /** generate fault plans (default true) */
  faults?: boolean;
  /** fault rules per plan (default 3) */
  maxFaults?: number;
  /** records may leave out the optional last name (default true; needed to expose lost updates) */
  partialRecords?: boolean;
  /** emulator-side faults: stale searches and duplicated deliveries (default false: opt in) */
  serverFaults?: boolean;
}

export const DEFAULT_VERSIONS = ['2.35', '2.38', '2.40', '2.41'];

export function resolveConstraints(c: WorkloadConstraints = {}): Required<WorkloadConstraints> {
  return {
    dhis2Versions: c.dhis2Versions?.length ? c.dhis2Versions : DEFAULT_VERSIONS,
    uniqueness: c.uniqueness?.length ? c.uniqueness : ['racy', 'atomic', 'off'],
    keyKinds: c.keyKinds?.length ? c.keyKinds : ['unique', 'non-unique'],
    maxKeys: c.maxKeys ?? 2,
    maxRounds: c.maxRounds ?? 3,
    maxOps: c.maxOps ?? 6,
    maxConcurrency: c.maxConcurrency ?? c.maxOps ?? 6,
    preexisting: c.preexisting ?? true,
    faults: c.faults ?? true,
    maxFaults: c.maxFaults ?? 3,
    partialRecords: c.partialRecords ?? true,
    serverFaults: c.serverFaults ?? false,
  };
}

const NAMES = ['Ama', 'Bintu', 'Chernor', 'Dauda'];
const SURNAMES = ['Kamara', 'Sesay', 'Bangura'];

/** Shrinks toward the first element: index 0 of every choice is the simplest story. */
function oneOf<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.integer({ min: 0, max: values.length - 1 }).map((i) => values[i]);
}

function lastNameArb(partial: boolean): fc.Arbitrary<string | undefined> {
  return partial ? fc.option(oneOf(SURNAMES), { nil: undefined }) : oneOf(SURNAMES);
}

function opArb(maxKeys: number, maxRounds: number, partial: boolean): fc.Arbitrary<OpSpec & { round: number }> {
  return fc
    .record({
      // shrinks toward 0: toward "everything concurrent in one round", the shortest story
      round: fc.integer({ min: 0, max: maxRounds - 1 }),
      key: fc.integer({ min: 0, max: maxKeys - 1 }),
      // 'home' dominates: records usually come from one facility
      orgUnit: fc.oneof({ weight: 4, arbitrary: fc.constant<OrgUnitSlot>('home') }, { weight: 1, arbitrary: oneOf(ORG_UNIT_SLOTS) }),
      firstName: oneOf(NAMES),
      lastName: lastNameArb(partial),
    })
    .map(({ lastName, ...rest }) => (lastName === undefined ? rest : { ...rest, lastName }));
}

function preexistingArb(maxKeys: number): fc.Arbitrary<PreexistingSpec> {
  return fc
    .record({
      key: fc.integer({ min: 0, max: maxKeys - 1 }),
      orgUnit: oneOf(ORG_UNIT_SLOTS),
      copies: fc.integer({ min: 1, max: 2 }),
      firstName: oneOf(NAMES),
      lastName: fc.option(oneOf(SURNAMES), { nil: undefined }),
    })
    .map(({ lastName, ...rest }) => (lastName === undefined ? rest : { ...rest, lastName }));
}

function faultArb(maxOps: number): fc.Arbitrary<FaultRule> {
  return fc.record({
    op: fc.integer({ min: 0, max: Math.max(0, maxOps - 1) }),
    request: fc.integer({ min: 0, max: 4 }),
    kind: oneOf(FAULT_KINDS),
  });
}

/**
 * Operations are generated as one flat list, each with a round number, and grouped afterwards:
 * fast-check then shrinks by dropping operations and by pulling them into round 0, which is how a
 * race shrinks to "two concurrent upserts of one key".
 */
function roundsOf(ops: (OpSpec & { round: number })[], maxConcurrency: number): OpSpec[][] {
  const byRound = new Map<number, OpSpec[]>();
  for (const { round, ...op } of ops) byRound.set(round, [...(byRound.get(round) ?? []), op]);
  // a round larger than the allowed concurrency is split into consecutive rounds
  return [...byRound]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([, list]) => Array.from({ length: Math.ceil(list.length / maxConcurrency) }, (_, i) => list.slice(i * maxConcurrency, (i + 1) * maxConcurrency)));
}

/** Workloads: overlapping keys, repeats, concurrency, pre-existing entities, versions, fault plans. */
export function workloadArb(constraints: WorkloadConstraints = {}): fc.Arbitrary<Workload> {
  const c = resolveConstraints(constraints);
  const maxOps = c.maxOps;
  return fc.record({
    dhis2Version: oneOf(c.dhis2Versions),
    uniqueness: oneOf(c.uniqueness),
    keyKind: oneOf(c.keyKinds),
    preexisting: c.preexisting ? fc.array(preexistingArb(c.maxKeys), { maxLength: 2 }) : fc.constant([]),
    rounds: fc.array(opArb(c.maxKeys, c.maxRounds, c.partialRecords), { minLength: 1, maxLength: maxOps }).map((ops) => roundsOf(ops, Math.max(1, c.maxConcurrency))),
    faults: c.faults ? fc.array(faultArb(maxOps), { maxLength: c.maxFaults }) : fc.constant([]),
    serverFaults: c.serverFaults
      ? fc.array(fc.record({ kind: oneOf(SERVER_FAULT_KINDS), nth: fc.integer({ min: 1, max: 4 }) }), { maxLength: 2 })
      : fc.constant<ServerFaultRule[]>([]),
  });
}

const ORG_UNITS: Record<OrgUnitSlot, string> = {
  home: DEMO_IDS.orgUnits.ngelehun,
  sibling: DEMO_IDS.orgUnits.njandama,
  elsewhere: DEMO_IDS.orgUnits.kamaranka,
};

export function orgUnitOf(slot: OrgUnitSlot): string {
  return ORG_UNITS[slot];
}

export function keyAttributeOf(kind: KeyKind): string {
  return kind === 'unique' ? DEMO_IDS.attributes.nationalId : DEMO_IDS.attributes.phone;
}

/** The key value of key number `key`; `salt` keeps runs apart on a shared server. */
export function keyValueOf(kind: KeyKind, key: number, salt = ''): string {
  return kind === 'unique' ? `NID-${salt}${key}` : `+23276${salt}${String(key).padStart(4, '0')}`;
}

function attributesOf(workload: Workload, spec: { key: number; firstName: string; lastName?: string }, salt: string) {
  const attrs = [
    { attribute: keyAttributeOf(workload.keyKind), value: keyValueOf(workload.keyKind, spec.key, salt) },
    { attribute: DEMO_IDS.attributes.firstName, value: spec.firstName },
  ];
  if (spec.lastName !== undefined) attrs.push({ attribute: DEMO_IDS.attributes.lastName, value: spec.lastName });
  return attrs;
}

export function recordOf(workload: Workload, op: OpSpec, salt = ''): HarnessRecord {
  return {
    trackedEntityType: DEMO_IDS.trackedEntityType,
    orgUnit: orgUnitOf(op.orgUnit),
    matchAttribute: keyAttributeOf(workload.keyKind),
    attributes: attributesOf(workload, op, salt),
  };
}

/** The attributes a pre-existing entity carries. */
export function preexistingAttributes(workload: Workload, spec: PreexistingSpec, salt = '') {
  return attributesOf(workload, spec, salt);
}

/** The main-phase operations in execution order, with their global index. */
export function flattenOps(workload: Workload): { index: number; round: number; spec: OpSpec }[] {
  const out: { index: number; round: number; spec: OpSpec }[] = [];
  workload.rounds.forEach((round, r) => round.forEach((spec) => out.push({ index: out.length, round: r, spec })));
  return out;
}

/** Keys whose pre-existing live entities are ambiguous (more than one carries the key). */
export function ambiguousKeys(workload: Workload): Set<number> {
  const count = new Map<number, number>();
  for (const p of workload.preexisting) count.set(p.key, (count.get(p.key) ?? 0) + p.copies);
  return new Set([...count].filter(([, n]) => n > 1).map(([k]) => k));
}

const SEARCH_PATHS = ['/api/trackedEntityInstances', '/api/tracker/trackedEntities'];

/** The emulator fault plan of a workload's server faults (installed for the main phase only). */
export function serverFaultPlan(w: Workload): { rules: Record<string, unknown>[] } | undefined {
  // A stale search is a lagging search index or replica behind the list endpoints; reads by UID
  // stay on the primary (DHIS2 serves both from one database; only searches get cached or replicated).
  const rules = (w.serverFaults ?? []).flatMap((f): Record<string, unknown>[] =>
    f.kind === 'stale-search'
      ? SEARCH_PATHS.map((path) => ({ kind: 'stale-search', label: `harness stale search #${f.nth}`, method: 'GET', path, nth: f.nth, commitsAgo: 1 }))
      : [{ kind: 'duplicate-delivery', label: `harness duplicate delivery #${f.nth}`, method: ['POST', 'PUT'], path: '/api/**', nth: f.nth }],
  );
  return rules.length > 0 ? { rules } : undefined;
}

/** A one-line human description, used in reports. */
export function describeWorkload(w: Workload): string {
  const ops = flattenOps(w).length;
  const pre = w.preexisting.reduce((n, p) => n + p.copies, 0);
  return `DHIS2 ${w.dhis2Version}, uniqueness ${w.uniqueness}, ${w.keyKind} key, ${ops} op(s) in ${w.rounds.length} round(s), ${pre} pre-existing, ${w.faults.length + (w.serverFaults?.length ?? 0)} fault(s)`;
}
