import { UidConstraintError } from '../../store/entity-store.js';
import { commitPhase } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import { ImportProcessFailed } from './checks.js';
import type { LegacyEventInput } from './event-input.js';
import { planLegacyEventDelete, planLegacyEvents, type LegacyEventOptions } from './events.js';
import { PlannedState } from './planned-state.js';
import { withRefusals } from './refusals.js';
import { summary, type ImportSummary } from './summary.js';

/**
 * `POST /api/events` and `PUT /api/events/{uid}` (2.35–2.41): plan every event, commit the valid
 * ones through the shared commit phase (racy window, atomic re-check of non-repeatable stages), and
 * return the summaries. A failure of the whole request is one summary "The import process failed: …".
 */
export async function importLegacyEvents(
  ctx: DomainContext, scope: RequestScope, inputs: LegacyEventInput[], options: LegacyEventOptions & { dryRun: boolean },
): Promise<ImportSummary[]> {
  const planned = planLegacyEvents(ctx, scope, new PlannedState(ctx.store), inputs, options);
  if (options.dryRun) return planned.map((p) => p.summary);
  return commitEvents(ctx, scope, planned);
}

/** `DELETE /api/events/{uid}`. */
export async function deleteLegacyEvent(ctx: DomainContext, scope: RequestScope, uid: string): Promise<ImportSummary> {
  const [result] = await commitEvents(ctx, scope, [planLegacyEventDelete(ctx, scope, uid)]);
  return result;
}

async function commitEvents(ctx: DomainContext, scope: RequestScope, planned: ReturnType<typeof planLegacyEvents>): Promise<ImportSummary[]> {
  try {
    const writes = planned.flatMap((p) => (p.write ? [p.write] : []));
    const outcome = await commitPhase(ctx, scope, 'legacy', [], false, writes);
    await ctx.persist();
    return planned.map((p) => withRefusals(ctx, p.summary, outcome));
  } catch (err) {
    if (err instanceof ImportProcessFailed || err instanceof UidConstraintError) {
      return [summary('ERROR', { ignored: 0 }, { description: `The import process failed: ${err.message}` })];
    }
    throw err;
  }
}
