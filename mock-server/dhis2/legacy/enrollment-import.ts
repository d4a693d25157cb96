import { UidConstraintError } from '../../store/entity-store.js';
import { commitPhase, type PendingEventWrite, type PendingWrite } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import { conflict } from '../web-message.js';
import { ImportProcessFailed } from './checks.js';
import { teiWord } from './enrollment-checks.js';
import { planLegacyEnrollmentCreate, planLegacyEnrollmentDelete, planLegacyEnrollmentUpdate, type PlannedLegacyEnrollment } from './enrollments.js';
import { planLegacyEvents } from './events.js';
import type { LegacyEnrollmentInput } from './input.js';
import type { LegacyStrategy } from './options.js';
import { PlannedState } from './planned-state.js';
import { withRefusals } from './refusals.js';
import { routeByStrategy, type LegacyPath } from './strategy-route.js';
import { summaries, summary, type ImportSummary } from './summary.js';

type Path = LegacyPath;

export interface LegacyEnrollmentOptions {
  strategy: LegacyStrategy;
  /** honoured dryRun: everything is checked, nothing saved */
  dryRun: boolean;
}

/** Which path an enrollment takes (AbstractEnrollmentService; see routeByStrategy). */
function route(ctx: DomainContext, e: LegacyEnrollmentInput, strategy: LegacyStrategy): Path {
  return routeByStrategy(strategy, e, e.enrollment ? ctx.store.enrollment(e.enrollment)?.enrollment : undefined);
}

/**
 * `POST /api/enrollments` (2.35–2.41; AbstractEnrollmentService.addEnrollments / updateEnrollments /
 * deleteEnrollments): creates (those whose UID is taken refused up front), then updates, then
 * deletes, each planned against what the request did before it; then the events of the successful
 * ones. An entity that does not exist fails the whole request (InvalidIdentifierReferenceException
 * → 409), as does one outside the user's search scope (canRead → IllegalQueryException → 409).
 */
export async function importLegacyEnrollments(
  ctx: DomainContext, scope: RequestScope, inputs: LegacyEnrollmentInput[], options: LegacyEnrollmentOptions,
): Promise<ImportSummary[]> {
  const state = new PlannedState(ctx.store);
  const groups: Record<Path, LegacyEnrollmentInput[]> = { create: [], update: [], delete: [] };
  for (const e of inputs) groups[route(ctx, e, options.strategy)].push(e);
  // each enrollment's summary, and its plan when there is one to apply
  const done: { summary: ImportSummary; plan?: PlannedLegacyEnrollment }[] = [];
  const keep = (p: PlannedLegacyEnrollment) => {
    if (p.summary.status !== 'ERROR') state.set(p.entity);
    done.push({ summary: p.summary, plan: p });
  };
  const refuse = (description: string) => done.push({ summary: summary('ERROR', { ignored: 1 }, { description }) });
  const taken = groups.create.filter((e) => e.enrollment && ctx.store.hasEnrollment(e.enrollment));
  for (const e of taken) done.push({ summary: summary('ERROR', { ignored: 1 }, { description: `Enrollment ${e.enrollment} already exists or was deleted earlier`, reference: e.enrollment }) });
  for (const e of groups.create.filter((x) => !taken.includes(x))) {
    const tei = state.entity(e.trackedEntityInstance);
    if (!tei || tei.deleted) throw conflict(`${teiWord(ctx)} does not exist.`);
    keep(planLegacyEnrollmentCreate(ctx, scope, state, tei, e));
  }
  for (const e of groups.update) {
    const ref = e.enrollment ? state.enrollment(e.enrollment) : undefined;
    if (!e.enrollment) refuse('No enrollment or enrollment ID was supplied');
    else if (!ref || ref.enrollment.deleted) refuse(`ID ${e.enrollment} doesn't point to a valid enrollment.`);
    else keep(planLegacyEnrollmentUpdate(ctx, scope, state.entity(ref.entity.uid)!, ref.enrollment, e));
  }
  for (const e of groups.delete) {
    const p = planLegacyEnrollmentDelete(ctx, scope, state, e.enrollment ?? '');
    if ('entity' in p) keep(p);
    else done.push({ summary: p.summary });
  }
  const applied = done.flatMap((d) => (d.plan && d.summary.status !== 'ERROR' ? [d.plan] : []));
  const eventWrites: PendingEventWrite[] = applied.flatMap((p) => p.cascade.map((event) => ({ event, operation: 'delete' as const })));
  const items = done.map((d) => {
    if (!d.plan || d.summary.status === 'ERROR' || d.plan.events.length === 0) return { ...d.summary, events: summaries([]) };
    const uid = d.summary.reference!;
    const en = state.enrollment(uid)!;
    const inputsFor = d.plan.events.map((ev) => ({ ...ev, enrollment: uid, program: en.enrollment.program, trackedEntityInstance: en.entity.uid }));
    const evs = planLegacyEvents(ctx, scope, state, inputsFor, { strategy: 'CREATE_AND_UPDATE', mergeDataValues: false });
    for (const pe of evs) if (pe.write) eventWrites.push(pe.write);
    return { ...d.summary, events: summaries(evs.map((pe) => pe.summary)) };
  });
  if (options.dryRun) return items;
  const writes: PendingWrite[] = state.changed().map((entity) => ({
    entity, operation: 'update', uniqueChecks: [],
    enrollmentChecks: applied.flatMap((p) => (p.check?.trackedEntity === entity.uid ? [p.check] : [])),
    createsEnrollments: applied.flatMap((p) => (p.creates && p.entity.uid === entity.uid ? [p.creates] : [])),
  }));
  try {
    const outcome = await commitPhase(ctx, scope, 'legacy', writes, false, eventWrites);
    await ctx.persist();
    return items.map((s) => withRefusals(ctx, s, outcome));
  } catch (err) {
    if (err instanceof ImportProcessFailed || err instanceof UidConstraintError) {
      return [summary('ERROR', { ignored: 0 }, { description: `The import process failed: ${err.message}` })];
    }
    throw err;
  }
}
