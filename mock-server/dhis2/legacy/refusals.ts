import type { CommitOutcome } from '../commit.js';
import type { DomainContext } from '../context.js';
import { teiWord } from './enrollment-checks.js';
import { summaries, summary, type ImportSummaries, type ImportSummary } from './summary.js';

const STAGE_TAKEN = 'Program stage is not repeatable and an event already exists';

/**
 * `atomic` mode's commit-time refusals, written into the summaries the legacy API returns: a
 * refused enrollment reads as the rule it broke, a refused event as the taken stage (or, when its
 * enrollment was refused, as that enrollment's error). Summaries of other objects are untouched.
 */
export function withRefusals(ctx: DomainContext, s: ImportSummary, outcome: CommitOutcome): ImportSummary {
  if (outcome.refusedEnrollments.length === 0 && outcome.refusedEvents.length === 0) return s;
  const enrollments = s.enrollments && refuseIn(ctx, s.enrollments, outcome);
  const events = s.events && refuseIn(ctx, s.events, outcome);
  const own = refusal(ctx, s.reference, outcome);
  if (own) return summary('ERROR', { ignored: 1 }, { ...s, description: own, ...(enrollments ? { enrollments } : {}), ...(events ? { events } : {}) });
  return { ...s, ...(enrollments ? { enrollments } : {}), ...(events ? { events } : {}) };
}

function refuseIn(ctx: DomainContext, list: ImportSummaries, outcome: CommitOutcome): ImportSummaries {
  return summaries(list.importSummaries.map((item) => withRefusals(ctx, item, outcome)), list.importOptions);
}

function refusal(ctx: DomainContext, reference: string | undefined, outcome: CommitOutcome): string | undefined {
  if (!reference) return undefined;
  const enrollment = outcome.refusedEnrollments.find((r) => r.check.enrollment === reference);
  if (enrollment) {
    const { trackedEntity, program } = enrollment.check;
    return enrollment.clash === 'active'
      ? `${teiWord(ctx)} ${trackedEntity} already has an active enrollment in program ${program}`
      : `${teiWord(ctx)} ${trackedEntity} already has an active or completed enrollment in program ${program}, and this program only allows enrolling one time`;
  }
  const event = outcome.refusedEvents.find((r) => r.write.event.uid === reference);
  if (!event) return undefined;
  const e = event.write.event;
  return event.reason === 'stage' ? STAGE_TAKEN : `Tracked entity instance: ${e.trackedEntity} is not enrolled in program: ${e.program}`;
}
