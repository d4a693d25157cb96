import { UidConstraintError } from '../../store/entity-store.js';
import { dhis2Date } from '../../store/clock.js';
import { canCapture, hasAuthority } from '../access.js';
import { mergeAttributes } from '../attribute-values.js';
import { commitPhase, type PendingWrite } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import { generateUid, isUid } from '../random.js';
import type { StoredEntity } from '../types.js';
import { checkLegacyAttributes, claim, ImportProcessFailed, type PendingClaims } from './checks.js';
import { applyLegacyEnrollments } from './enrollments.js';
import type { LegacyTeiInput } from './input.js';
import type { LegacyImportOptions } from './options.js';
import { summaries, summary, type ImportSummary } from './summary.js';

type Path = 'create' | 'update' | 'delete';

interface Planned {
  summary: ImportSummary;
  write?: PendingWrite;
}

/**
 * The legacy importer (AbstractTrackedEntityInstanceService.mergeOrDeleteTrackedEntityInstances):
 * routes each TEI to create, update or delete, validates in DHIS2's order, then commits through the
 * shared commit phase. Returns one ImportSummary per TEI.
 */
export async function importLegacy(
  ctx: DomainContext,
  scope: RequestScope,
  teis: LegacyTeiInput[],
  options: LegacyImportOptions,
): Promise<ImportSummary[]> {
  const pending: PendingClaims = [];
  const planned: Planned[] = [];
  try {
    for (const tei of teis) planned.push(planOne(ctx, scope, tei, route(ctx, tei, options), options, pending));
    const writes = planned.flatMap((p) => (p.write ? [p.write] : []));
    if (options.dryRun && honoursDryRun(ctx)) return planned.map((p) => p.summary);
    const outcome = await commitPhase(ctx, scope, 'legacy', writes, false);
    for (const r of outcome.refused) {
      const p = planned.find((x) => x.write === r.write)!;
      p.summary = summary('ERROR', { ignored: 1 }, {
        reference: r.write.entity.uid,
        conflicts: [{ object: 'Attribute.value', value: `Non-unique attribute value '${r.query.value}' for attribute ${r.query.attribute.id}` }],
        enrollments: summaries([]),
      });
    }
  } catch (err) {
    if (err instanceof ImportProcessFailed || err instanceof UidConstraintError) {
      return [summary('ERROR', { ignored: teis.length || 1 }, { description: `The import process failed: ${err.message}` })];
    }
    throw err;
  }
  await ctx.persist();
  return planned.map((p) => p.summary);
}

/** dryRun is honoured from 2.39.9 and 2.40.7, never in 2.41 (spec §2.4 query parameters). */
function honoursDryRun(ctx: DomainContext): boolean {
  const v = ctx.version;
  return (v.minor === 39 && v.atLeast('2.39.9')) || (v.minor === 40 && v.atLeast('2.40.7'));
}

function route(ctx: DomainContext, tei: LegacyTeiInput, options: LegacyImportOptions): Path {
  const existing = tei.uid ? ctx.store.get(tei.uid) : undefined;
  switch (options.strategy) {
    case 'CREATE':
      return 'create';
    case 'UPDATE':
      return 'update';
    case 'DELETE':
      return 'delete';
    case 'SYNC':
      if (tei.deleted) return 'delete';
      return existing && !existing.deleted ? 'update' : 'create';
    default:
      return existing ? 'update' : 'create';
  }
}

function planOne(ctx: DomainContext, scope: RequestScope, tei: LegacyTeiInput, path: Path, options: LegacyImportOptions, pending: PendingClaims): Planned {
  if (path === 'create') return planCreate(ctx, scope, tei, pending);
  if (path === 'update') return planUpdate(ctx, scope, tei, options, pending);
  return planDelete(ctx, scope, tei.uid ?? '', true);
}

const teiObject = (ctx: DomainContext) => (ctx.version.atLeast('2.41') ? 'TrackedEntity' : 'TrackedEntityInstance');
const error = (reference: string | undefined, extra: Partial<ImportSummary>): Planned => ({
  summary: summary('ERROR', { ignored: 1 }, { reference, enrollments: summaries([]), ...extra }),
});

function planCreate(ctx: DomainContext, scope: RequestScope, tei: LegacyTeiInput, pending: PendingClaims): Planned {
  if (tei.uid && ctx.store.has(tei.uid)) {
    return error(tei.uid, { description: `Tracked entity instance ${tei.uid} already exists or was deleted earlier` });
  }
  const typeObject = `${teiObject(ctx)}.trackedEntityType`;
  if (!tei.trackedEntityType) return error(tei.uid, { conflicts: [{ object: typeObject, value: 'Missing required property trackedEntityType' }] });
  if (!ctx.meta.types.has(tei.trackedEntityType)) {
    return error(tei.uid, { conflicts: [{ object: typeObject, value: `Invalid trackedEntityType ${tei.trackedEntityType}` }] });
  }
  const uid = isUid(tei.uid) ? tei.uid : generateUid(ctx.rng);
  const checked = checkLegacyAttributes(ctx, tei.attributes, uid, tei.orgUnit, pending);
  if (checked.conflicts.length > 0) return error(tei.uid, { conflicts: checked.conflicts });
  const objectRef = tei.uid ? { object: tei.uid } : {};
  if (!tei.orgUnit) return error(tei.uid, { conflicts: [{ ...objectRef, value: 'No org unit ID in tracked entity instance object' }] });
  if (!ctx.meta.orgUnits.has(tei.orgUnit)) return error(tei.uid, { conflicts: [{ ...objectRef, value: `Invalid org unit ID: ${tei.orgUnit}` }] });
  if (!canCapture(ctx.meta, scope.user, tei.orgUnit)) {
    return { summary: summary('ERROR', { ignored: 1 }, { description: `[User has no write access to organisation unit: ${tei.orgUnit}]`, enrollments: summaries([]) }) };
  }
  const now = ctx.clock();
  const base: StoredEntity = {
    uid,
    trackedEntityType: tei.trackedEntityType,
    orgUnit: tei.orgUnit,
    created: dhis2Date(now),
    lastUpdated: dhis2Date(now),
    createdAtClient: tei.createdAtClient,
    lastUpdatedAtClient: tei.lastUpdatedAtClient,
    inactive: tei.inactive ?? false,
    deleted: false,
    potentialDuplicate: tei.potentialDuplicate ?? false,
    storedBy: scope.user.username,
    geometry: tei.geometry,
    attributes: mergeAttributes([], tei.attributes, now, scope.user.username),
    enrollments: [],
    programOwners: [],
  };
  claim(pending, ctx, tei.attributes, uid, tei.orgUnit);
  const enrolled = applyLegacyEnrollments(ctx, scope, base, tei.enrollments);
  const entity = { ...enrolled.entity, attributes: mergeAttributes(enrolled.entity.attributes, enrolled.attributes, now, scope.user.username) };
  return {
    write: { entity, operation: 'create', uniqueChecks: checked.uniqueChecks },
    summary: summary('SUCCESS', { imported: 1 }, {
      reference: uid,
      href: `${scope.origin}/api/trackedEntityInstances/${uid}`,
      enrollments: enrolled.summaries,
    }),
  };
}

function planUpdate(ctx: DomainContext, scope: RequestScope, tei: LegacyTeiInput, options: LegacyImportOptions, pending: PendingClaims): Planned {
  const uid = tei.uid ?? '';
  const existing = tei.uid ? ctx.store.get(tei.uid) : undefined;
  const checked = checkLegacyAttributes(ctx, tei.attributes, uid, tei.orgUnit ?? existing?.orgUnit, pending);
  if (checked.conflicts.length > 0) return error(tei.uid, { conflicts: checked.conflicts });
  if (!existing || existing.deleted) {
    const neverExisted = !existing && ctx.version.minor === 35 && ctx.version.patch >= 1;
    const value = neverExisted
      ? `Tracked entity instance ${tei.uid ?? null} does not exist`
      : `You are trying to add or update tracked entity instance ${tei.uid ?? null} that has already been deleted`;
    return error(tei.uid, { conflicts: [{ object: teiObject(ctx), value }] });
  }
  if (!tei.orgUnit || !ctx.meta.orgUnits.has(tei.orgUnit)) {
    return error(uid, { conflicts: [{ object: 'OrganisationUnit', value: `Org unit ${tei.orgUnit ?? null} does not exist` }] });
  }
  const denied = [existing.orgUnit, tei.orgUnit].filter((ou, i, all) => all.indexOf(ou) === i && !canCapture(ctx.meta, scope.user, ou));
  if (denied.length > 0) {
    return error(uid, { description: `[${denied.map((ou) => `User has no write access to organisation unit: ${ou}`).join(', ')}]` });
  }
  const now = ctx.clock();
  const skipAttributes = options.ignoreEmptyCollection && tei.attributes.length === 0;
  const deleteMissing = options.program ? ctx.meta.programAttributeIds(options.program) : undefined;
  const attributes = skipAttributes ? existing.attributes : mergeAttributes(existing.attributes, tei.attributes, now, scope.user.username, deleteMissing);
  const updated: StoredEntity = {
    ...existing,
    orgUnit: tei.orgUnit,
    inactive: tei.inactive ?? false,
    potentialDuplicate: ctx.version.atLeast('2.37') ? (tei.potentialDuplicate ?? false) : existing.potentialDuplicate,
    geometry: tei.geometry ?? existing.geometry,
    lastUpdatedAtClient: tei.lastUpdatedAtClient ?? existing.lastUpdatedAtClient,
    lastUpdated: dhis2Date(now),
    attributes,
  };
  claim(pending, ctx, tei.attributes, uid, tei.orgUnit);
  const enrolled = applyLegacyEnrollments(ctx, scope, updated, tei.enrollments);
  const entity = { ...enrolled.entity, attributes: mergeAttributes(enrolled.entity.attributes, enrolled.attributes, now, scope.user.username) };
  return {
    write: { entity, operation: 'update', uniqueChecks: checked.uniqueChecks },
    summary: summary('SUCCESS', { updated: 1 }, {
      reference: uid,
      href: `${scope.origin}/api/trackedEntityInstances/${uid}`,
      enrollments: enrolled.summaries,
    }),
  };
}

/** Soft delete (spec §2.6). `withReference` is true in bulk; the single DELETE has no reference. */
export function planDelete(ctx: DomainContext, scope: RequestScope, uid: string, withReference: boolean): Planned {
  const existing = ctx.store.get(uid);
  const reference = withReference ? uid : undefined;
  if (!existing || existing.deleted) {
    return { summary: summary('SUCCESS', { ignored: 1 }, { reference, description: `Tracked entity instance ${uid} cannot be deleted as it is not present in the system` }) };
  }
  if (!canCapture(ctx.meta, scope.user, existing.orgUnit)) {
    return { summary: summary('ERROR', { ignored: 1 }, { reference, conflicts: [{ object: uid, value: `User has no delete access to organisation unit: ${existing.orgUnit}` }] }) };
  }
  if (existing.enrollments.some((e) => !e.deleted) && !hasAuthority(scope.user, 'F_TEI_CASCADE_DELETE')) {
    return {
      summary: summary('ERROR', { ignored: 1 }, {
        reference,
        conflicts: [{ object: uid, value: `Tracked entity instance ${uid} cannot be deleted as it has associated enrollments and user does not have authority F_TEI_CASCADE_DELETE` }],
      }),
    };
  }
  const now = dhis2Date(ctx.clock());
  const entity: StoredEntity = {
    ...existing,
    deleted: true,
    lastUpdated: now,
    enrollments: existing.enrollments.map((e) => ({ ...e, deleted: true, lastUpdated: now })),
  };
  return {
    write: { entity, operation: 'delete', uniqueChecks: [] },
    summary: summary('SUCCESS', { deleted: 1 }, { reference, description: `Deletion of tracked entity instance ${uid} was successful` }),
  };
}

/** The single DELETE route: plan + commit one soft delete. */
export async function deleteLegacy(ctx: DomainContext, scope: RequestScope, uid: string): Promise<ImportSummary> {
  const planned = planDelete(ctx, scope, uid, false);
  if (planned.write) {
    await commitPhase(ctx, scope, 'legacy', [planned.write], true);
    await ctx.persist();
  }
  return planned.summary;
}
