import { dhis2Date } from '../../store/clock.js';
import { canCapture, hasAuthority, isSuperuser } from '../access.js';
import type { PendingEventWrite } from '../commit.js';
import type { DomainContext, RequestScope } from '../context.js';
import { hasOwnershipAccess, programOwner } from '../enrollments/ownership.js';
import { applyDataValues, dataValueStatus, type SentDataValue } from '../events/data-values.js';
import { storedDateTime } from '../events/dates.js';
import { stageOccupant } from '../events/stage.js';
import { generateUid, isUid } from '../random.js';
import type { EventStatus, Program, ProgramStage, StoredEntity, StoredEvent } from '../types.js';
import type { LegacyEventInput } from './event-input.js';
import type { LegacyStrategy } from './options.js';
import type { PlannedState } from './planned-state.js';
import { routeByStrategy, type LegacyPath } from './strategy-route.js';
import { summary, type ImportConflict, type ImportSummary } from './summary.js';

export interface LegacyEventOptions {
  strategy: LegacyStrategy;
  /** `mergeDataValues=true`: an update keeps the stored values it does not send (default: the sent ones replace them) */
  mergeDataValues: boolean;
}

export interface PlannedLegacyEvent {
  summary: ImportSummary;
  write?: PendingEventWrite;
}

type Path = LegacyPath;

/** Which path an event takes (ImportStrategyAccumulator; see routeByStrategy). */
export function routeLegacyEvent(ctx: DomainContext, e: LegacyEventInput, strategy: LegacyStrategy): Path {
  return routeByStrategy(strategy, e, e.event ? ctx.events.get(e.event) : undefined);
}

/**
 * The legacy event importer (dxf2/events/importer, 2.35–2.41): events are sorted into creates,
 * updates and deletes, each checked against the committed state (plus what this request planned
 * before them) by the checkers in DHIS2's order, the first failing one deciding the summary.
 * Nothing is committed here; the summaries come back in DHIS2's order (creates, updates, deletes).
 */
export function planLegacyEvents(
  ctx: DomainContext, scope: RequestScope, state: PlannedState, inputs: LegacyEventInput[], options: LegacyEventOptions,
): PlannedLegacyEvent[] {
  const groups: Record<Path, LegacyEventInput[]> = { create: [], update: [], delete: [] };
  for (const e of inputs) groups[routeLegacyEvent(ctx, e, options.strategy)].push(e);
  const planned: PlannedLegacyEvent[] = [];
  for (const e of groups.create) {
    // EventManager: events whose UID exists (soft-deleted included) are refused up front
    if (e.event && ctx.events.has(e.event)) planned.push(failure(`Event ${e.event} already exists or was deleted earlier`, e.event));
    else planned.push(planCreate(ctx, scope, state, e));
  }
  for (const e of groups.update) planned.push(planUpdate(ctx, scope, e, options));
  for (const e of groups.delete) planned.push(planLegacyEventDelete(ctx, scope, e.event ?? ''));
  return planned;
}

const failure = (description: string, reference?: string, conflicts?: ImportConflict[]): PlannedLegacyEvent => ({
  summary: summary('ERROR', { ignored: 1 }, { description, reference, conflicts }),
});

/** Insert checks (InsertValidationFactory): date, org unit, program, stage, TEI, enrollment, repeatable stage, program org unit, ACL, data values. */
function planCreate(ctx: DomainContext, scope: RequestScope, state: PlannedState, e: LegacyEventInput): PlannedLegacyEvent {
  const { meta } = ctx;
  const uid = e.event && isUid(e.event) ? e.event : generateUid(ctx.rng);
  const status = (e.status ?? 'ACTIVE') as EventStatus;
  if (status === 'ACTIVE' && !e.eventDate) return failure('Event date is required. ', uid);
  if ([e.eventDate, e.dueDate, e.completedDate].some((d) => d !== undefined && !storedDateTime(d))) return failure('Event date or Execution date format is not correct. ', uid);
  if (!e.orgUnit || !meta.orgUnits.has(e.orgUnit)) return failure(`Event.orgUnit does not point to a valid organisation unit: ${e.orgUnit ?? null}`, uid);
  const program = e.program ? meta.programs.get(e.program) : undefined;
  if (!program) return failure(`Event.program does not point to a valid program: ${e.program ?? null}`, uid);
  const stage = e.programStage ? meta.programStages.get(e.programStage) : undefined;
  if (!stage) return failure(`Event.programStage does not point to a valid programStage: ${e.programStage ?? null}`, uid);
  const byEnrollment = state.enrollment(e.enrollment);
  const te = live(state.entity(e.trackedEntityInstance ?? byEnrollment?.entity.uid));
  if (!te) return failure(`Event.trackedEntityInstance does not point to a valid tracked entity instance: ${e.trackedEntityInstance ?? null}`, uid);
  // ProgramInstanceSupplier: the named enrollment, else the entity's one ACTIVE enrollment in the program
  let enrollment = byEnrollment && !byEnrollment.enrollment.deleted && byEnrollment.entity.uid === te.uid ? byEnrollment.enrollment : undefined;
  if (!enrollment) {
    const active = te.enrollments.filter((x) => !x.deleted && x.program === program.id && x.status === 'ACTIVE');
    if (active.length === 0) return failure(`Tracked entity instance: ${te.uid} is not enrolled in program: ${program.id}`, uid);
    if (active.length > 1) return failure(`Tracked entity instance: ${te.uid} has multiple active enrollments in program: ${program.id}`, uid);
    enrollment = active[0];
  }
  const occupied = !stage.repeatable && stageOccupant(ctx.events, enrollment.uid, stage.id, undefined, true);
  if (occupied) return failure('Program stage is not repeatable and an event already exists', uid);
  if (!program.organisationUnits.includes(e.orgUnit)) return failure(`Program is not assigned to this Organisation Unit: ${e.orgUnit}`, uid);
  const acl = [
    ...(canCapture(meta, scope.user, e.orgUnit) ? [] : [`User has no create access to organisation unit: ${e.orgUnit}`]),
    ...ownership(ctx, scope, te, program),
  ];
  if (acl.length > 0) return { summary: summary('ERROR', { ignored: 1 }, { conflicts: acl.map((value) => ({ object: uid, value })) }) };
  const dv = dataValueConflicts(ctx, scope, e.dataValues, stage, status, []);
  if (dv.length > 0) return { summary: summary('ERROR', { ignored: 1 }, { reference: uid, conflicts: dv }) };

  const now = ctx.clock();
  const occurredAt = storedDateTime(e.eventDate);
  const event: StoredEvent = {
    // the event's program is its stage's (programstageinstance has no program column)
    uid, program: stage.program, programStage: stage.id, enrollment: enrollment.uid, trackedEntity: te.uid, orgUnit: e.orgUnit, status,
    occurredAt, scheduledAt: storedDateTime(e.dueDate) ?? occurredAt,
    ...(status === 'COMPLETED' ? { completedAt: storedDateTime(e.completedDate) ?? dhis2Date(now), completedBy: e.completedBy ?? scope.user.username } : {}),
    storedBy: e.storedBy ?? scope.user.username, followup: e.followup ?? false, geometry: e.geometry, deleted: false,
    created: dhis2Date(now), lastUpdated: dhis2Date(now), createdAtClient: e.createdAtClient, lastUpdatedAtClient: e.lastUpdatedAtClient,
    dataValues: applyDataValues([], declared(stage, e.dataValues), 'merge', now, scope.user.username),
  };
  return { summary: summary('SUCCESS', { imported: 1 }, { reference: uid }), write: { event, operation: 'create', stageCheck: !stage.repeatable } };
}

/** Update checks (eventUpdateValidatorMap): ID, existence, ACL, program, un-complete authority, data values. */
function planUpdate(ctx: DomainContext, scope: RequestScope, e: LegacyEventInput, options: LegacyEventOptions): PlannedLegacyEvent {
  const { meta } = ctx;
  if (!e.event) return failure('No event or event ID was supplied');
  const stored = ctx.events.get(e.event);
  if (!stored) return failure(`Event ID ${e.event} doesn't point to valid event`, e.event, [{ object: 'Invalid Event ID', value: e.event }]);
  if (stored.deleted) return failure(`Event ID ${e.event} was already used and/or deleted. This event can not be modified.`, e.event);
  const program = meta.programs.get(e.program ?? stored.program);
  const te = ctx.store.get(stored.trackedEntity);
  const acl = [
    ...(canCapture(meta, scope.user, stored.orgUnit) ? [] : [`User has no update access to organisation unit: ${stored.orgUnit}`]),
    ...(program && te ? ownership(ctx, scope, te, program) : []),
  ];
  if (acl.length > 0) return { summary: summary('ERROR', { ignored: 1 }, { reference: e.event, conflicts: acl.map((value) => ({ object: e.event!, value })) }) };
  if (!program) return failure(`Event.program does not point to a valid program: ${e.program}`, e.event);
  const status = (e.status ?? stored.status) as EventStatus;
  if (stored.status === 'COMPLETED' && status !== 'COMPLETED' && !isSuperuser(scope.user) && !hasAuthority(scope.user, 'F_UNCOMPLETE_EVENT')) {
    // ProgramStageInstanceAuthCheck (wording inferred)
    return failure(`User ${scope.user.username} is not authorized to uncomplete events`, e.event);
  }
  const stage = meta.programStages.get(stored.programStage)!;
  const dv = dataValueConflicts(ctx, scope, e.dataValues, stage, status, options.mergeDataValues ? stored.dataValues.map((d) => d.dataElement) : []);
  if (dv.length > 0) return { summary: summary('ERROR', { ignored: 1 }, { reference: e.event, conflicts: dv }) };
  const now = ctx.clock();
  const completes = status === 'COMPLETED' && stored.status !== 'COMPLETED';
  const event: StoredEvent = {
    ...stored,
    orgUnit: e.orgUnit && meta.orgUnits.has(e.orgUnit) ? e.orgUnit : stored.orgUnit,
    status,
    occurredAt: storedDateTime(e.eventDate) ?? stored.occurredAt,
    scheduledAt: storedDateTime(e.dueDate) ?? stored.scheduledAt,
    completedAt: status === 'COMPLETED' ? storedDateTime(e.completedDate) ?? (completes ? dhis2Date(now) : stored.completedAt) : undefined,
    completedBy: status === 'COMPLETED' ? e.completedBy ?? (completes ? scope.user.username : stored.completedBy) : undefined,
    followup: e.followup ?? stored.followup,
    lastUpdated: dhis2Date(now),
    lastUpdatedAtClient: e.lastUpdatedAtClient ?? stored.lastUpdatedAtClient,
    dataValues: applyDataValues(stored.dataValues, declared(stage, e.dataValues), options.mergeDataValues ? 'merge' : 'replace', now, scope.user.username),
  };
  return { summary: summary('SUCCESS', { updated: 1 }, { reference: e.event }), write: { event, operation: 'update' } };
}

/** A soft delete (EventManager.deleteEvents); a missing or deleted event is "not present", ignored. */
export function planLegacyEventDelete(ctx: DomainContext, scope: RequestScope, uid: string): PlannedLegacyEvent {
  const stored = ctx.events.get(uid);
  if (!stored || stored.deleted) return { summary: summary('SUCCESS', { ignored: 1 }, { description: `Event ${uid} cannot be deleted as it is not present in the system`, reference: uid }) };
  const program = ctx.meta.programs.get(stored.program);
  const te = ctx.store.get(stored.trackedEntity);
  const acl = [
    ...(canCapture(ctx.meta, scope.user, stored.orgUnit) ? [] : [`User has no delete access to organisation unit: ${stored.orgUnit}`]),
    ...(program && te ? ownership(ctx, scope, te, program) : []),
  ];
  if (acl.length > 0) return { summary: summary('ERROR', { ignored: 1 }, { reference: uid, conflicts: acl.map((value) => ({ object: uid, value })) }) };
  const event = { ...stored, deleted: true, lastUpdated: dhis2Date(ctx.clock()) };
  return { summary: summary('SUCCESS', { deleted: 1 }, { description: `Deletion of event ${uid} was successful`, reference: uid }), write: { event, operation: 'delete' } };
}

const live = (e: StoredEntity | undefined) => (e && !e.deleted ? e : undefined);

/** TrackerAccessManager's ownership rule: the owner (or, with none, the registration org unit) must be accessible. */
function ownership(ctx: DomainContext, scope: RequestScope, te: StoredEntity, program: Program): string[] {
  const owner = programOwner(te, program.id) ?? te.orgUnit;
  return hasOwnershipAccess(ctx.meta, scope.user, program, owner) ? [] : ['OWNERSHIP_ACCESS_DENIED'];
}

/** FilteringOutUndeclaredDataElementsProcessor: values of data elements not on the stage are dropped, silently. */
function declared(stage: ProgramStage, values: SentDataValue[]): SentDataValue[] {
  const on = new Set(stage.programStageDataElements.map((p) => p.dataElement));
  return values.filter((v) => on.has(v.dataElement));
}

/**
 * DataValueCheck: the first unknown data element or invalid value stops the check (one conflict);
 * then, unless the user may skip it (F_IGNORE_TRACKER_REQUIRED_VALUE_VALIDATION, which superusers
 * have), each compulsory value missing when the stage's validation strategy asks for it.
 */
function dataValueConflicts(
  ctx: DomainContext, scope: RequestScope, sent: SentDataValue[], stage: ProgramStage, status: EventStatus, kept: readonly string[],
): ImportConflict[] {
  for (const dv of sent) {
    const de = ctx.meta.dataElements.get(dv.dataElement);
    if (!de) return [{ object: 'dataElement', value: `${dv.dataElement} is not a valid data element` }];
    const problem = dv.value === null ? undefined : dataValueStatus(ctx.meta, de, dv.value);
    if (problem) return [{ object: de.id, value: problem }];
  }
  const strategy = stage.validationStrategy ?? 'ON_COMPLETE';
  const required = strategy === 'ON_UPDATE_AND_INSERT' || status === 'COMPLETED';
  if (!required || hasAuthority(scope.user, 'F_IGNORE_TRACKER_REQUIRED_VALUE_VALIDATION')) return [];
  const present = new Set([...declared(stage, sent).filter((d) => d.value !== null).map((d) => d.dataElement), ...kept]);
  return stage.programStageDataElements
    .filter((p) => p.compulsory && !present.has(p.dataElement))
    .map((p) => ({ object: p.dataElement, value: 'value_required_but_not_provided' }));
}
