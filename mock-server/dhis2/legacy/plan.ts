import { dhis2Date } from '../../store/clock.js';
import { canCapture } from '../access.js';
import { mergeAttributes } from '../attribute-values.js';
import type { DomainContext, RequestScope } from '../context.js';
import type { PendingWrite } from '../commit.js';
import { generateUid, isUid } from '../random.js';
import type { StoredEntity } from '../types.js';
import { checkLegacyAttributes, claim, type PendingClaims } from './checks.js';
import type { Planned } from './delete.js';
import { applyEnrollments } from './nested.js';
import type { LegacyTeiInput } from './input.js';
import type { LegacyImportOptions } from './options.js';
import { summaries, summary, type ImportConflict, type ImportSummary } from './summary.js';

/** 2.41 moved the legacy service to `deprecated` and renamed its conflict objects. */
export const teiObject = (ctx: DomainContext) => (ctx.version.atLeast('2.41') ? 'TrackedEntity' : 'TrackedEntityInstance');

/** Every TEI summary of the bulk pipeline carries an enrollments summary (linkEnrollmentSummaries). */
const error = (reference: string | undefined, extra: Partial<ImportSummary>): Planned => ({
  summary: summary('ERROR', { ignored: 1 }, { reference, enrollments: summaries([]), ...extra }),
});

export const alreadyExists = (uid: string): Planned =>
  error(uid, { description: `Tracked entity instance ${uid} already exists or was deleted earlier` });

/**
 * The create path (addTrackedEntityInstance + createDAOTrackedEntityInstance, spec §2.4): the type
 * and attribute conflicts are collected together, then the org unit, then the UID (a malformed one is
 * silently replaced), then write access. The existence check ran up front for the whole request.
 */
export function planCreate(ctx: DomainContext, scope: RequestScope, tei: LegacyTeiInput, pending: PendingClaims, options: LegacyImportOptions): Planned {
  const conflicts: ImportConflict[] = [];
  const typeObject = `${teiObject(ctx)}.trackedEntityType`;
  if (!tei.trackedEntityType) conflicts.push({ object: typeObject, value: 'Missing required property trackedEntityType' });
  else if (!ctx.meta.types.has(tei.trackedEntityType)) conflicts.push({ object: typeObject, value: `Invalid trackedEntityType ${tei.trackedEntityType}` });
  const uid = isUid(tei.uid) ? tei.uid : generateUid(ctx.rng);
  const checked = checkLegacyAttributes(ctx, tei.attributes, uid, tei.orgUnit, pending);
  conflicts.push(...checked.conflicts);
  if (conflicts.length > 0) return error(tei.uid, { conflicts });
  // DHIS2 2.35/2.36 left these two summaries at status SUCCESS with no count (a known quirk of
  // createDAOTrackedEntityInstance); 2.41's copy marks them ERROR. The emulator follows the spec: ERROR.
  const objectRef = tei.uid ? { object: tei.uid } : {};
  if (!tei.orgUnit) return error(tei.uid, { conflicts: [{ ...objectRef, value: 'No org unit ID in tracked entity instance object' }] });
  if (!ctx.meta.orgUnits.has(tei.orgUnit)) return error(tei.uid, { conflicts: [{ ...objectRef, value: `Invalid org unit ID: ${tei.orgUnit}` }] });
  if (!canCapture(ctx.meta, scope.user, tei.orgUnit)) {
    return error(undefined, { description: `[User has no write access to organisation unit: ${tei.orgUnit}]` });
  }
  const now = ctx.clock();
  const base: StoredEntity = {
    uid,
    trackedEntityType: tei.trackedEntityType!,
    orgUnit: tei.orgUnit,
    created: dhis2Date(now),
    lastUpdated: dhis2Date(now),
    createdAtClient: tei.createdAtClient,
    lastUpdatedAtClient: tei.lastUpdatedAtClient,
    inactive: tei.inactive ?? false,
    deleted: false,
    potentialDuplicate: ctx.version.atLeast('2.37') ? (tei.potentialDuplicate ?? false) : false,
    storedBy: scope.user.username,
    geometry: tei.geometry,
    attributes: mergeAttributes([], tei.attributes, now, scope.user.username),
    enrollments: [],
    programOwners: [],
  };
  claim(pending, ctx, tei.attributes, uid, tei.orgUnit);
  return withEnrollments(ctx, scope, base, tei, 'create', checked.uniqueChecks, options);
}

/**
 * The update path (updateTrackedEntityInstance, spec §2.4): attribute conflicts (uniqueness excluding
 * the TEI itself) are collected first; then, in this order, a missing TEI, write access to the stored
 * TEI's org unit, and the payload org unit. The type in the payload is ignored; attributes merge.
 */
export function planUpdate(ctx: DomainContext, scope: RequestScope, tei: LegacyTeiInput, options: LegacyImportOptions, pending: PendingClaims): Planned {
  const found = tei.uid ? ctx.store.get(tei.uid) : undefined;
  const existing = found && !found.deleted ? found : undefined;
  const uid = tei.uid ?? '';
  const checked = checkLegacyAttributes(ctx, tei.attributes, uid, tei.orgUnit, pending);
  const conflicts = [...checked.conflicts];
  const orgUnitKnown = !!tei.orgUnit && ctx.meta.orgUnits.has(tei.orgUnit);
  const writable = !existing || canCapture(ctx.meta, scope.user, existing.orgUnit);
  if (!existing || !writable || !orgUnitKnown || conflicts.length > 0) {
    let description: string | undefined;
    if (!existing) {
      // 2.35.1–2.35.14 distinguish a UID that never existed; 2.35.0 and 2.36+ always say "already been deleted"
      const neverExisted = !found && ctx.version.minor === 35 && ctx.version.patch >= 1;
      const value = neverExisted
        ? `Tracked entity instance ${tei.uid ?? null} does not exist`
        : `You are trying to add or update tracked entity instance ${tei.uid ?? null} that has already been deleted`;
      conflicts.push({ object: teiObject(ctx), value });
    } else if (!writable) {
      description = `[User has no write access to organisation unit: ${existing.orgUnit}]`;
    } else if (!orgUnitKnown) {
      conflicts.push({ object: 'OrganisationUnit', value: `Org unit ${tei.orgUnit ?? null} does not exist` });
    }
    return error(tei.uid, { description, conflicts });
  }
  const now = ctx.clock();
  const skipAttributes = options.ignoreEmptyCollection && tei.attributes.length === 0;
  const deleteMissing = options.program ? ctx.meta.programAttributeIds(options.program) : undefined;
  const attributes = skipAttributes ? existing.attributes : mergeAttributes(existing.attributes, tei.attributes, now, scope.user.username, deleteMissing);
  const updated: StoredEntity = {
    ...existing,
    orgUnit: tei.orgUnit!,
    inactive: tei.inactive ?? false,
    potentialDuplicate: ctx.version.atLeast('2.37') ? (tei.potentialDuplicate ?? false) : existing.potentialDuplicate,
    geometry: tei.geometry,
    lastUpdatedAtClient: tei.lastUpdatedAtClient ?? existing.lastUpdatedAtClient,
    lastUpdated: dhis2Date(now),
    attributes,
  };
  claim(pending, ctx, tei.attributes, uid, tei.orgUnit);
  return withEnrollments(ctx, scope, updated, tei, 'update', checked.uniqueChecks, options);
}

/**
 * The accepted TEI plus its nested enrollments (whose attribute values land on the TEI) and their
 * events, as one pending write (plus the event writes) and its SUCCESS summary; shared by the
 * create and the update path.
 */
function withEnrollments(
  ctx: DomainContext, scope: RequestScope, planned: StoredEntity, tei: LegacyTeiInput,
  operation: 'create' | 'update', uniqueChecks: PendingWrite['uniqueChecks'], options: LegacyImportOptions,
): Planned {
  const enrolled = applyEnrollments(ctx, scope, planned, tei.enrollments, options.strategy);
  return {
    write: { entity: enrolled.entity, operation, uniqueChecks, enrollmentChecks: enrolled.checks, createsEnrollments: enrolled.creates },
    eventWrites: enrolled.events,
    summary: summary('SUCCESS', operation === 'create' ? { imported: 1 } : { updated: 1 }, { reference: planned.uid, enrollments: summaries(enrolled.items) }),
  };
}
