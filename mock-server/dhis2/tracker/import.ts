import { UidConstraintError } from '../../store/entity-store.js';
import { isSuperuser } from '../access.js';
import { commitPhase, type CommitOutcome } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import type { EnrollmentCheck } from '../enrollments/existing.js';
import type { UniquenessQuery } from '../uniqueness.js';
import { payloadUniqueValues } from './attribute-rules.js';
import type { TrackerImportParams } from './params.js';
import type { TrackerBundleInput, TrackerEnrollmentInput, TrackerEventInput } from './payload.js';
import { err, type ImportRun, type ObjectStrategy, type TrackerError, type TrackerType } from './types.js';
import { enrollmentStrategy, validateEnrollment, type EnrollmentScope } from './validate-enrollment.js';
import { eventEnrollment, eventProgram, eventStrategy, repeatedEventErrors, validateEvent, type EventScope } from './validate-event.js';
import { teStrategy, validateTrackedEntity } from './validate-te.js';
import { TrackerPersistException, WritePlan, type PlannedEventWrite, type PlannedWrite } from './writes.js';

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

interface Accepted<T> {
  input: T;
  strategy: ObjectStrategy;
}

/**
 * The tracker importer (DefaultTrackerImportService): preheat, validate every object against the
 * committed state (tracked entities, then enrollments, then events), exit when atomicMode=ALL
 * found errors, otherwise commit the valid objects through the shared `commitPhase` (which awaits
 * the racy window, so two concurrent imports can both pass the uniqueness, active-enrollment and
 * non-repeatable-stage checks, spec §3.4). Never throws for data problems: they are errors in the
 * result; an unexpected persistence failure is an `exception` result ("Exception:…").
 */
export async function importTracker(ctx: DomainContext, scope: RequestScope, bundle: TrackerBundleInput, params: TrackerImportParams): Promise<TrackerImportResult> {
  const started = Date.now();
  const result: TrackerImportResult = {
    outcome: 'completed', errors: [], validateOnly: params.importMode === 'VALIDATE',
    bundleSize: { TRACKED_ENTITY: bundle.trackedEntities.length, ENROLLMENT: bundle.enrollments.length, EVENT: bundle.events.length, RELATIONSHIP: 0 },
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
  result.timingsMs.preheat = Date.now() - started;

  const validationStart = Date.now();
  const skip = params.validationMode === 'SKIP' && isSuperuser(scope.user);
  // FAIL_FAST stops validating at the first error; what is left is not validated at all.
  const unchecked = () => skip || (params.validationMode === 'FAIL_FAST' && result.errors.length > 0);
  const plan = new WritePlan(ctx, scope.user.username);
  try {
    const acceptedTes: (Accepted<number> & { checks: UniquenessQuery[] })[] = [];
    const validTes = new Set<string>();
    const rejectedTes = new Set<string>();
    for (const [i, te] of bundle.trackedEntities.entries()) {
      const strategy = teStrategy(run, te.uid);
      const v = unchecked() ? { errors: [], uniqueChecks: [] } : validateTrackedEntity(run, te, strategy);
      if (v.errors.length > 0) {
        result.errors.push(...v.errors);
        rejectedTes.add(te.uid);
      } else {
        if (strategy !== 'DELETE') validTes.add(te.uid);
        acceptedTes.push({ input: i, strategy, checks: v.uniqueChecks });
      }
    }
    const enScope: EnrollmentScope = { validTe: (u) => validTes.has(u), invalidTe: (u) => rejectedTes.has(u) };
    let acceptedEns: (Accepted<TrackerEnrollmentInput> & { checks: UniquenessQuery[]; check?: EnrollmentCheck })[] = [];
    const rejectedEns = new Set<string>();
    for (const en of bundle.enrollments) {
      const strategy = enrollmentStrategy(run, en.uid);
      const v = unchecked() ? { errors: [], uniqueChecks: [] } : validateEnrollment(run, enScope, en, strategy);
      if (v.errors.length > 0) {
        result.errors.push(...v.errors);
        rejectedEns.add(en.uid);
      } else acceptedEns.push({ input: en, strategy, checks: v.uniqueChecks, check: 'enrollmentCheck' in v ? v.enrollmentCheck : undefined });
    }
    const evScope: EventScope = { validEnrollment: (u) => !rejectedEns.has(u) };
    let acceptedEvs: Accepted<TrackerEventInput>[] = [];
    for (const ev of bundle.events) {
      const strategy = eventStrategy(run, ev.uid);
      const errors = unchecked() ? [] : validateEvent(run, evScope, ev, strategy);
      if (errors.length > 0) result.errors.push(...errors);
      else acceptedEvs.push({ input: ev, strategy });
    }
    if (!skip) {
      const repeated = repeatedEventErrors(run, acceptedEvs);
      result.errors.push(...repeated);
      const refused = new Set(repeated.map((e) => e.uid));
      acceptedEvs = acceptedEvs.filter((e) => !refused.has(e.input.uid));
    }
    result.timingsMs.validation = Date.now() - validationStart;
    if (result.errors.length > 0 && params.atomicMode === 'ALL') return finish('rejected');
    // PersistablesFilter (2.40+): what references a rejected object cannot be persisted either
    const orphanEns = acceptedEns.filter((e) => e.input.trackedEntity !== undefined && rejectedTes.has(e.input.trackedEntity));
    for (const o of orphanEns) {
      result.errors.push(err('ENROLLMENT', o.input.uid, 'E5000', 'ENROLLMENT', o.input.uid, 'TRACKED_ENTITY', o.input.trackedEntity!));
      rejectedEns.add(o.input.uid);
    }
    acceptedEns = acceptedEns.filter((e) => !orphanEns.includes(e));
    const orphanEvs = acceptedEvs.filter((e) => e.input.enrollment !== undefined && rejectedEns.has(e.input.enrollment));
    for (const o of orphanEvs) result.errors.push(err('EVENT', o.input.uid, 'E5000', 'EVENT', o.input.uid, 'ENROLLMENT', o.input.enrollment!));
    acceptedEvs = acceptedEvs.filter((e) => !orphanEvs.includes(e));
    if (result.validateOnly) return finish('completed');

    for (const t of acceptedTes) plan.addTrackedEntity(bundle.trackedEntities[t.input], t.strategy, t.checks);
    for (const e of acceptedEns) {
      // a DELETE payload may name the enrollment alone: its TE is where the store holds it
      const trackedEntity = e.input.trackedEntity ?? ctx.store.enrollment(e.input.uid)?.entity.uid;
      plan.addEnrollment({ ...e.input, trackedEntity }, e.strategy, e.checks, e.check);
    }
    for (const e of acceptedEvs) {
      const stored = ctx.events.get(e.input.uid);
      const enrollment = eventEnrollment(run, evScope, e.input.enrollment ?? stored?.enrollment);
      const program = stored?.program ?? eventProgram(run, e.input) ?? '';
      plan.addEvent(e.input, e.strategy, program, stored?.trackedEntity ?? enrollment?.trackedEntity ?? '');
    }
    const commitStart = Date.now();
    const outcome = await commitPhase(ctx, scope, 'tracker', plan.writes, params.atomicMode === 'ALL', plan.events);
    result.timingsMs.commit = Date.now() - commitStart;
    reportRefusals(result, outcome);
    const anyRefused = outcome.refused.length + outcome.refusedEnrollments.length + outcome.refusedEvents.length > 0;
    if (anyRefused && params.atomicMode === 'ALL') return finish('rejected');
    const refusedEns = new Set(outcome.refusedEnrollments.map((r) => r.check.enrollment));
    for (const w of outcome.committed as PlannedWrite[]) count(result, w, refusedEns);
    for (const e of outcome.committedEvents as PlannedEventWrite[]) if (e.source) bump(result, 'EVENT', e.source.strategy, e.source.input.uid, e.source.input.index);
    for (const type of ['TRACKED_ENTITY', 'ENROLLMENT', 'EVENT'] as const) result.objects[type].sort((a, b) => a.index - b.index);
  } catch (e) {
    if (e instanceof UidConstraintError || e instanceof TrackerPersistException) return finish('exception', `Exception:${e.message}`);
    throw e;
  }
  await ctx.persist();
  return finish('completed');
}

/** atomic mode's commit-time refusals, as the validation errors the checks would have given. */
function reportRefusals(result: TrackerImportResult, outcome: CommitOutcome): void {
  for (const r of outcome.refused) result.errors.push(err('TRACKED_ENTITY', r.write.entity.uid, 'E1064', r.query.value, r.query.attribute.id));
  for (const r of outcome.refusedEnrollments) {
    result.errors.push(err('ENROLLMENT', r.check.enrollment, r.clash === 'active' ? 'E1015' : 'E1016', r.check.trackedEntity, r.check.program));
  }
  for (const r of outcome.refusedEvents) {
    const ev = r.write.event;
    result.errors.push(r.reason === 'stage'
      ? err('EVENT', ev.uid, 'E1039', ev.programStage)
      : err('EVENT', ev.uid, 'E5000', 'EVENT', ev.uid, r.reason === 'enrollment' ? 'ENROLLMENT' : 'TRACKED_ENTITY', r.reason === 'enrollment' ? ev.enrollment : ev.trackedEntity));
  }
}

function bump(result: TrackerImportResult, type: TrackerType, strategy: ObjectStrategy, uid: string, index: number): void {
  const c = result.counts[type];
  if (strategy === 'CREATE') c.created++;
  else if (strategy === 'UPDATE') c.updated++;
  else c.deleted++;
  result.objects[type].push({ uid, index });
}

function count(result: TrackerImportResult, w: PlannedWrite, refusedEns: Set<string>): void {
  if (w.te) bump(result, 'TRACKED_ENTITY', w.te.strategy, w.te.input.uid, w.te.input.index);
  for (const e of w.enrollments) if (!refusedEns.has(e.input.uid)) bump(result, 'ENROLLMENT', e.strategy, e.input.uid, e.input.index);
}
