import { UidConstraintError } from '../../store/entity-store.js';
import { commitPhase } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import { ImportProcessFailed, type PendingClaims } from './checks.js';
import { planDelete, type Planned } from './delete.js';
import type { LegacyTeiInput } from './input.js';
import type { LegacyImportOptions } from './options.js';
import { alreadyExists, planCreate, planUpdate } from './plan.js';
import { withRefusals } from './refusals.js';
import { routeByStrategy, type LegacyPath } from './strategy-route.js';
import { summaries, summary, type ImportSummary } from './summary.js';

export { deleteLegacy, planDelete } from './delete.js';

type Path = LegacyPath;

/** Which path a TEI takes (see routeByStrategy). */
export function routeLegacyTei(ctx: DomainContext, tei: LegacyTeiInput, strategy: LegacyImportOptions['strategy']): Path {
  return routeByStrategy(strategy, tei, tei.uid ? ctx.store.get(tei.uid) : undefined);
}

/**
 * The legacy importer: routes each TEI, validates in DHIS2's order, commits through the shared
 * commit phase, and returns one ImportSummary per TEI in DHIS2's order: the creates (those whose UID
 * already exists first, as the up-front existence check adds them), then the updates, then the
 * deletes. A failure of the whole request is one summary "The import process failed: …".
 */
export async function importLegacy(
  ctx: DomainContext,
  scope: RequestScope,
  teis: LegacyTeiInput[],
  options: LegacyImportOptions,
): Promise<ImportSummary[]> {
  const pending: PendingClaims = [];
  const groups: Record<Path, LegacyTeiInput[]> = { create: [], update: [], delete: [] };
  for (const tei of teis) groups[routeLegacyTei(ctx, tei, options.strategy)].push(tei);
  const taken = groups.create.filter((t) => t.uid && ctx.store.has(t.uid));
  const planned: Planned[] = [];
  try {
    for (const tei of taken) planned.push(alreadyExists(tei.uid!));
    for (const tei of groups.create) if (!taken.includes(tei)) planned.push(planCreate(ctx, scope, tei, pending, options));
    for (const tei of groups.update) planned.push(planUpdate(ctx, scope, tei, options, pending));
    for (const tei of groups.delete) planned.push(planDelete(ctx, scope, tei.uid ?? '', true));
    if (!(options.dryRun && honoursDryRun(ctx))) {
      const writes = planned.flatMap((p) => (p.write ? [p.write] : []));
      const outcome = await commitPhase(ctx, scope, 'legacy', writes, false, planned.flatMap((p) => p.eventWrites ?? []));
      for (const p of planned) if (p.write) p.summary = withRefusals(ctx, p.summary, outcome);
      for (const r of outcome.refused) {
        const p = planned.find((x) => x.write === r.write)!;
        p.summary = summary('ERROR', { ignored: 1 }, {
          reference: r.write.entity.uid,
          conflicts: [{ object: 'Attribute.value', value: `Non-unique attribute value '${r.query.value}' for attribute ${r.query.attribute.id}` }],
          enrollments: summaries([]),
        });
      }
      await ctx.persist();
    }
  } catch (err) {
    if (err instanceof ImportProcessFailed || err instanceof UidConstraintError) {
      return [summary('ERROR', { ignored: 0 }, { description: `The import process failed: ${err.message}` })];
    }
    throw err;
  }
  return planned.map((p) => p.summary);
}

/**
 * POST only (finalizeTrackedEntityInstancePostRequest): `href` on every summary that is not an error, unless the
 * request was a (honoured) dry run, a DELETE, or a SYNC deletion.
 */
export function withHref(ctx: DomainContext, scope: RequestScope, options: LegacyImportOptions, s: ImportSummary): ImportSummary {
  const dry = options.dryRun && honoursDryRun(ctx);
  if (dry || s.status === 'ERROR' || options.strategy === 'DELETE' || s.importCount.deleted > 0 || !s.reference) return s;
  return summary(s.status, s.importCount, { ...s, href: `${scope.origin}/api/trackedEntityInstances/${s.reference}` });
}

/** dryRun is honoured from 2.39.9 and 2.40.7, never in 2.41 (spec §2.4 query parameters). */
export function honoursDryRun(ctx: DomainContext): boolean {
  const v = ctx.version;
  return (v.minor === 39 && v.atLeast('2.39.9')) || (v.minor === 40 && v.atLeast('2.40.7'));
}
