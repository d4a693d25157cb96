import { UidConstraintError } from '../../store/entity-store.js';
import { isSuperuser } from '../access.js';
import { commitPhase } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import type { StoredEntity } from '../types.js';
import type { UniquenessQuery } from '../uniqueness.js';
import { payloadUniqueValues } from './attribute-rules.js';
import type { TrackerImportParams } from './params.js';
import type { TrackerBundleInput, TrackerEnrollmentInput } from './payload.js';
import { err, type ImportRun, type ObjectStrategy, type TrackerError, type TrackerType } from './types.js';
import { enrollmentStrategy, validateEnrollment, type EnrollmentScope, type StoredEnrollmentRef } from './validate-enrollment.js';
import { teStrategy, validateTrackedEntity } from './validate-te.js';
import { TrackerPersistException, WritePlan, type PlannedWrite } from './writes.js';

export interface TypeCounts {
  created: number;
  updated: number;
  deleted: number;
}

/** The version-neutral outcome of one import; report.ts renders it per version and reportMode. */
export interface TrackerImportResult {
  /** completed: committed (or validated only); rejected: atomicMode=ALL with errors; exception: aborted */
  outcome: 'completed' | 'rejected' | 'exception';
  message?: string;
  errors: TrackerError[];
  bundleSize: Record<TrackerType, number>;
  counts: Record<TrackerType, TypeCounts>;
  /** committed objects with their index in the flattened payload */
  objects: Record<TrackerType, { uid: string; index: number }[]>;
  validateOnly: boolean;
  timingsMs: Record<'preheat' | 'validation' | 'commit' | 'totalImport', number>;
}

const zero = (): TypeCounts => ({ created: 0, updated: 0, deleted: 0 });

/**
 * The tracker importer (DefaultTrackerImportService): preheat, validate every object against the
 * committed state, exit when atomicMode=ALL found errors, otherwise commit the valid objects
 * through the shared `commitPhase` (which awaits the racy window, so two concurrent imports can
 * both pass the uniqueness check, spec §3.4). Never throws for data problems: they are errors
 * in the result; an unexpected persistence failure is an `exception` result ("Exception:…").
 */
export async function importTracker(ctx: DomainContext, scope: RequestScope, bundle: TrackerBundleInput, params: TrackerImportParams): Promise<TrackerImportResult> {
  const started = Date.now();
  const result: TrackerImportResult = {
    outcome: 'completed', errors: [], validateOnly: params.importMode === 'VALIDATE',
    bundleSize: { TRACKED_ENTITY: bundle.trackedEntities.length, ENROLLMENT: bundle.enrollments.length, EVENT: 0, RELATIONSHIP: 0 },
    counts: { TRACKED_ENTITY: zero(), ENROLLMENT: zero(), EVENT: zero(), RELATIONSHIP: zero() },
    objects: { TRACKED_ENTITY: [], ENROLLMENT: [], EVENT: [], RELATIONSHIP: [] },
    timingsMs: { preheat: 0, validation: 0, commit: 0, totalImport: 0 },
  };
  const finish = (outcome: TrackerImportResult['outcome'], message?: string) => {
    result.outcome = outcome;
    if (message !== undefined) result.message = message;
    result.timingsMs.totalImport = Date.now() - started;
    return result;
  };
  const run: ImportRun = {
    ctx, user: scope.user, params, bundle,
    teByUid: new Map(bundle.trackedEntities.map((t) => [t.uid, t])),
    payloadUniques: payloadUniqueValues(ctx.meta, bundle),
  };
  const enrollmentIndex = bundle.enrollments.length > 0 ? indexEnrollments(ctx.store.all()) : new Map<string, StoredEnrollmentRef>();
  result.timingsMs.preheat = Date.now() - started;

  const validationStart = Date.now();
  const skip = params.validationMode === 'SKIP' && isSuperuser(scope.user);
  const failFast = params.validationMode === 'FAIL_FAST';
  const plan = new WritePlan(ctx, scope.user.username);
  const accepted = new Set<string>();
  const rejected = new Set<string>();
  try {
    const acceptedTes: { strategy: ObjectStrategy; index: number; checks: UniquenessQuery[] }[] = [];
    for (const [i, te] of bundle.trackedEntities.entries()) {
      const strategy = teStrategy(run, te.uid);
      // FAIL_FAST stops validating at the first error; what is left is not validated at all.
      const unchecked = skip || (failFast && result.errors.length > 0);
      const v = unchecked ? { errors: [], uniqueChecks: [] } : validateTrackedEntity(run, te, strategy);
      if (v.errors.length > 0) {
        result.errors.push(...v.errors);
        rejected.add(te.uid);
      } else {
        if (strategy !== 'DELETE') accepted.add(te.uid);
        acceptedTes.push({ strategy, index: i, checks: v.uniqueChecks });
      }
    }
    const scopeInfo: EnrollmentScope = { stored: enrollmentIndex, validTe: (u) => accepted.has(u), invalidTe: (u) => rejected.has(u), accepted: [] };
    const acceptedEns: { input: TrackerEnrollmentInput; strategy: ObjectStrategy; checks: UniquenessQuery[] }[] = [];
    for (const en of bundle.enrollments) {
      const strategy = enrollmentStrategy(run, scopeInfo, en.uid);
      const unchecked = skip || (failFast && result.errors.length > 0);
      const v = unchecked ? { errors: [], uniqueChecks: [] } : validateEnrollment(run, scopeInfo, en, strategy);
      if (v.errors.length > 0) {
        result.errors.push(...v.errors);
      } else {
        scopeInfo.accepted.push(en);
        acceptedEns.push({ input: en, strategy, checks: v.uniqueChecks });
      }
    }
    result.timingsMs.validation = Date.now() - validationStart;
    if (result.errors.length > 0 && params.atomicMode === 'ALL') return finish('rejected');
    // PersistablesFilter (2.40+): an enrollment whose TE was rejected cannot be persisted
    const orphans = acceptedEns.filter((e) => e.input.trackedEntity !== undefined && rejected.has(e.input.trackedEntity));
    for (const o of orphans) {
      result.errors.push(err('ENROLLMENT', o.input.uid, 'E5000', 'ENROLLMENT', o.input.uid, 'TRACKED_ENTITY', o.input.trackedEntity!));
      acceptedEns.splice(acceptedEns.indexOf(o), 1);
    }
    if (result.validateOnly) return finish('completed');

    for (const t of acceptedTes) plan.addTrackedEntity(bundle.trackedEntities[t.index], t.strategy, t.checks);
    for (const e of acceptedEns) {
      // a DELETE payload may name the enrollment alone: its TE is where the preheat found it
      const trackedEntity = e.input.trackedEntity ?? enrollmentIndex.get(e.input.uid)?.te.uid;
      plan.addEnrollment({ ...e.input, trackedEntity }, e.strategy, e.checks);
    }
    const commitStart = Date.now();
    const outcome = await commitPhase(ctx, scope, 'tracker', plan.writes, params.atomicMode === 'ALL');
    result.timingsMs.commit = Date.now() - commitStart;
    for (const r of outcome.refused) result.errors.push(err('TRACKED_ENTITY', r.write.entity.uid, 'E1064', r.query.value, r.query.attribute.id));
    if (outcome.refused.length > 0 && params.atomicMode === 'ALL') return finish('rejected');
    for (const w of outcome.committed as PlannedWrite[]) count(result, w);
  } catch (e) {
    if (e instanceof UidConstraintError || e instanceof TrackerPersistException) return finish('exception', `Exception:${e.message}`);
    throw e;
  }
  await ctx.persist();
  return finish('completed');
}

function count(result: TrackerImportResult, w: PlannedWrite): void {
  const bump = (type: TrackerType, strategy: ObjectStrategy, uid: string, index: number) => {
    const c = result.counts[type];
    if (strategy === 'CREATE') c.created++;
    else if (strategy === 'UPDATE') c.updated++;
    else c.deleted++;
    result.objects[type].push({ uid, index });
  };
  if (w.te) bump('TRACKED_ENTITY', w.te.strategy, w.te.input.uid, w.te.input.index);
  for (const e of w.enrollments) bump('ENROLLMENT', e.strategy, e.input.uid, e.input.index);
  for (const type of ['TRACKED_ENTITY', 'ENROLLMENT'] as const) result.objects[type].sort((a, b) => a.index - b.index);
}

/** Enrollment UID → where it is stored (soft-deleted included), for the enrollment preheat. */
function indexEnrollments(entities: Iterable<StoredEntity>): Map<string, StoredEnrollmentRef> {
  const index = new Map<string, StoredEnrollmentRef>();
  for (const te of entities) for (const enrollment of te.enrollments) index.set(enrollment.uid, { te, enrollment });
  return index;
}
