/**
 * Adopt-or-create-or-update for one event. Its identity is the UID derived from entity, stage and
 * the source key; in a non-repeatable stage an event already in the enrollment is adopted (DHIS2
 * refuses a second, E1039). An existing event gets only what changes (data values merged as
 * attributes are, data-values.ts); a retry after an unknown outcome starts again from the read.
 */
import { Dhis2ConflictError, HarnessError } from '../../errors.js';
import { RetryBudget } from '../retry-policy.js';
import type { ValidEvent } from '../record-enrollments.js';
import { classifyChildConflicts } from './conflicts.js';
import type { ChildCtx } from './context.js';
import { mergeDataValues, sameDate } from './data-values.js';
import { MAX_CHILD_GENERATIONS, type ResolvedEnrollment } from './enrollment.js';
import type { StageMeta } from './program-meta.js';
import type { ChildAction, FoundEvent } from './types.js';
import { eventUid } from './uids.js';

/** What an update of `found` must change for the record, or undefined when nothing does. */
export function eventChanges(found: FoundEvent, ev: ValidEvent) {
  const values = mergeDataValues(found.dataValues, ev.dataValues);
  const status = ev.status !== undefined && ev.status !== found.status;
  const date = !sameDate(found.occurredAt, ev.occurredAt);
  return values.changed || status || date ? { dataValues: values.dataValues, date } : undefined;
}

export async function upsertEvent(
  ctx: ChildCtx, entity: string, program: string, enrollment: ResolvedEnrollment, stage: StageMeta, ev: ValidEvent,
): Promise<{ uid: string; action: ChildAction }> {
  const budget = new RetryBudget(ctx.retry, ctx.env);
  let generation = 0;
  let recoveries = 0;
  let existsOrDeleted = false;
  let pending: { uid: string; action: ChildAction } | undefined;
  const keep = (uid: string, fresh: ChildAction): ChildAction => (pending?.uid === uid ? pending.action : fresh);

  for (;;) {
    budget.begin();
    let phase: 'read' | 'create' | 'update' = 'read';
    const before = pending;
    try {
      const uid = eventUid(entity, stage.id, ev.key, generation);
      let found = await ctx.api.readEvent(ctx.http, uid, ctx.signal);
      if (!found && existsOrDeleted) {
        existsOrDeleted = false;
        if (++generation > MAX_CHILD_GENERATIONS) throw new HarnessError(`Event UIDs for key ${ev.key} in stage ${stage.id} keep being taken by deleted events; check the entity in DHIS2.`);
        continue;
      }
      if (!found && !stage.repeatable) found = (await ctx.api.listEvents(ctx.http, enrollment.uid, program, stage.id, ctx.signal))[0];
      if (found) {
        const change = eventChanges(found, ev);
        if (!change) return { uid: found.uid, action: keep(found.uid, 'unchanged') };
        phase = 'update';
        pending = { uid: found.uid, action: keep(found.uid, 'updated') };
        await ctx.api.updateEvent(
          ctx.http,
          {
            uid: found.uid, trackedEntity: entity, enrollment: found.enrollment ?? enrollment.uid, program, programStage: stage.id,
            orgUnit: found.orgUnit ?? ev.orgUnit ?? enrollment.orgUnit,
            occurredAt: change.date || found.occurredAt === undefined ? ev.occurredAt : found.occurredAt,
            // always sent: an update without it would read as ACTIVE and un-complete the event
            status: ev.status ?? found.status ?? 'ACTIVE',
            dataValues: change.dataValues,
          },
          { stored: found, compulsory: stage.compulsory, validateOnUpdate: stage.validationStrategy === 'ON_UPDATE_AND_INSERT' },
          ctx.signal,
        );
        return { uid: found.uid, action: pending.action };
      }
      phase = 'create';
      pending = { uid, action: keep(uid, 'created') };
      await ctx.api.createEvent(
        ctx.http,
        {
          uid, trackedEntity: entity, enrollment: enrollment.uid, program, programStage: stage.id, orgUnit: ev.orgUnit ?? enrollment.orgUnit,
          occurredAt: ev.occurredAt, status: ev.status ?? 'ACTIVE', dataValues: ev.dataValues.filter((d) => d.value.trim() !== ''),
        },
        ctx.signal,
      );
      return { uid, action: pending.action };
    } catch (err) {
      if (phase !== 'read' && (err as { outcomeUnknown?: unknown }).outcomeUnknown === false) pending = before;
      if (err instanceof Dhis2ConflictError && phase !== 'read') {
        const kind = classifyChildConflicts(err.conflicts);
        if (kind === 'deleted' && phase === 'create' && generation < MAX_CHILD_GENERATIONS) {
          generation++;
          await budget.wait(budget.next(err, { force: true, immediate: true }), ctx.signal);
          continue;
        }
        const recoverable = kind === 'exists' || kind === 'exists-or-deleted' || kind === 'occupied' || (phase === 'update' && (kind === 'not-found' || kind === 'deleted'));
        if (recoverable && recoveries < ctx.maxRecoveries) {
          recoveries++;
          existsOrDeleted = kind === 'exists-or-deleted' && phase === 'create';
          await budget.wait(budget.next(err, { force: true, immediate: recoveries === 1 }), ctx.signal);
          continue;
        }
      }
      await budget.wait(budget.next(err), ctx.signal);
    }
  }
}
