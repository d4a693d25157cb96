import type { PendingEventWrite } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import type { EnrollmentCheck } from '../enrollments/existing.js';
import type { StoredEntity } from '../types.js';
import { planLegacyEnrollmentCreate, planLegacyEnrollmentDelete, planLegacyEnrollmentUpdate, type PlannedLegacyEnrollment } from './enrollments.js';
import { planLegacyEvents } from './events.js';
import type { LegacyEnrollmentInput } from './input.js';
import type { LegacyStrategy } from './options.js';
import { PlannedState } from './planned-state.js';
import { summaries, type ImportSummary } from './summary.js';

/** What an entity's enrollments (and their events) add to its write. */
export interface EnrollmentsOutcome {
  entity: StoredEntity;
  /** one per enrollment, each with the summaries of its events under `events` */
  items: ImportSummary[];
  checks: EnrollmentCheck[];
  creates: string[];
  events: PendingEventWrite[];
}

/**
 * Enrollments of one entity, in the order the legacy services handle them (deletes, updates,
 * creates: AbstractTrackedEntityInstanceService.handleEnrollments / EnrollmentService), each
 * planned against the entity as the ones before left it, then the events of the successful ones
 * (handleEvents), which see those enrollments. Errors stay in the nested summaries.
 */
export function applyEnrollments(
  ctx: DomainContext, scope: RequestScope, entity: StoredEntity, inputs: LegacyEnrollmentInput[], strategy: LegacyStrategy,
  state: PlannedState = new PlannedState(ctx.store),
): EnrollmentsOutcome {
  let current = entity;
  state.set(current);
  const deletes = inputs.filter((e) => strategy === 'SYNC' && e.deleted);
  const rest = inputs.filter((e) => !deletes.includes(e));
  const existing = (e: LegacyEnrollmentInput) => {
    const ref = state.enrollment(e.enrollment);
    return ref && !ref.enrollment.deleted ? ref : undefined;
  };
  const updates = rest.filter((e) => existing(e));
  const creates = rest.filter((e) => !existing(e));
  const planned: PlannedLegacyEnrollment[] = [];
  const apply = (p: PlannedLegacyEnrollment | { summary: ImportSummary }) => {
    if ('entity' in p) {
      if (p.summary.status !== 'ERROR') {
        current = p.entity;
        state.set(current);
      }
      planned.push(p);
    } else planned.push({ summary: p.summary, entity: current, events: [], cascade: [] });
  };
  for (const e of deletes) apply(planLegacyEnrollmentDelete(ctx, scope, state, e.enrollment ?? ''));
  for (const e of updates) apply(planLegacyEnrollmentUpdate(ctx, scope, current, existing(e)!.enrollment, e));
  for (const e of creates) apply(planLegacyEnrollmentCreate(ctx, scope, state, current, e));
  const events: PendingEventWrite[] = planned.flatMap((p) => p.cascade.map((event) => ({ event, operation: 'delete' as const })));
  const items = planned.map((p) => {
    if (p.summary.status === 'ERROR' || p.events.length === 0) return { ...p.summary, events: summaries([]) };
    const enrollment = p.summary.reference!;
    const inputsFor = p.events.map((ev) => ({ ...ev, enrollment, program: current.enrollments.find((x) => x.uid === enrollment)?.program, trackedEntityInstance: current.uid }));
    const planEvents = planLegacyEvents(ctx, scope, state, inputsFor, { strategy: 'CREATE_AND_UPDATE', mergeDataValues: false });
    for (const pe of planEvents) if (pe.write) events.push(pe.write);
    return { ...p.summary, events: summaries(planEvents.map((pe) => pe.summary)) };
  });
  return {
    entity: current,
    items,
    checks: planned.flatMap((p) => (p.check && p.summary.status !== 'ERROR' ? [p.check] : [])),
    creates: planned.flatMap((p) => (p.creates && p.summary.status !== 'ERROR' ? [p.creates] : [])),
    events,
  };
}
