import { hasAuthority } from '../access.js';
import type { DomainContext } from '../context.js';
import type { EnrollmentCriteria } from '../enrollments/search.js';
import type { EventCriteria } from '../events/search.js';
import { firstValue, paramValues, parseAttributeFilters, parseBool, type RawQuery } from '../query/index.js';
import { UID_PATTERN } from '../random.js';
import { OU_MODES, type OuMode } from '../search.js';
import type { EnrollmentStatus, EventStatus, User } from '../types.js';
import { badRequest, conflict, type Dhis2HttpError } from '../web-message.js';

/**
 * `GET /api/tracker/enrollments` and `/api/tracker/events` parameters (2.36+). 2.36–2.40
 * (TrackerEnrollmentCriteria, TrackerEventCriteria): `orgUnit` (`;`-separated), `ouMode`,
 * `enrollment` / `event` (`;`), problems are 409s up to 2.39 and 400s with E1003 in 2.40. 2.41
 * (EnrollmentRequestParams, EventRequestParams): `orgUnits` (enrollments) / `orgUnit` (events),
 * `orgUnitMode`, `enrollments`, `events` (comma-separated), the old names still accepted (both →
 * 400); 2.42 knows only the new names. Without org units the mode is ACCESSIBLE. Messages partly
 * inferred (the TE export's wording where the same rule applies).
 */
interface Names {
  orgUnits: string;
  uids: string;
}

function failure(ctx: DomainContext, message: string): Dhis2HttpError {
  if (ctx.version.below('2.40')) return conflict(message);
  return badRequest(message, 'E1003');
}

function values(raw: unknown, sep: string): string[] {
  return paramValues(raw).flatMap((s) => s.split(sep)).map((s) => s.trim()).filter(Boolean);
}

/** A parameter renamed in 2.41: the old name still works there (not with the new one), not in 2.42. */
function named(ctx: DomainContext, q: RawQuery, oldName: string, newName: string): string[] {
  if (ctx.version.below('2.41')) return values(q[oldName], ';');
  const fresh = values(q[newName], ',');
  if (ctx.version.atLeast('2.42')) return fresh;
  const old = values(q[oldName], ';');
  if (old.length > 0 && fresh.length > 0) {
    throw badRequest(`Only one parameter of '${oldName}' and '${newName}' must be specified. Prefer '${newName}' as '${oldName}' will be removed.`, 'E1003');
  }
  return fresh.length > 0 ? fresh : old;
}

function mode(ctx: DomainContext, user: User, q: RawQuery, orgUnits: string[]): OuMode {
  const raw = ctx.version.atLeast('2.41') ? firstValue(q.orgUnitMode) ?? (ctx.version.below('2.42') ? firstValue(q.ouMode) : undefined) : firstValue(q.ouMode);
  const upper = raw?.trim().toUpperCase();
  if (upper && !(OU_MODES as readonly string[]).includes(upper)) {
    throw failure(ctx, `Value '${raw}' is not valid for parameter ${ctx.version.atLeast('2.41') ? 'orgUnitMode' : 'ouMode'}. Valid values are: [${OU_MODES.join(', ')}]`);
  }
  const m = (upper ?? (orgUnits.length > 0 ? 'SELECTED' : 'ACCESSIBLE')) as OuMode;
  if (m === 'ALL' && !hasAuthority(user, 'F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS')) throw failure(ctx, 'Current user is not authorized to query across all organisation units');
  if (ctx.version.atLeast('2.41') && orgUnits.length > 0 && (m === 'ACCESSIBLE' || m === 'CAPTURE' || m === 'ALL')) {
    throw badRequest(`orgUnitMode ${m} cannot be used with orgUnits. Please remove the orgUnits parameter and try again.`, 'E1003');
  }
  return m;
}

function checkUids(ctx: DomainContext, name: string, list: string[]): void {
  if (ctx.version.below('2.41')) return;
  for (const v of list) {
    if (!UID_PATTERN.test(v)) throw badRequest(`Value '${v.slice(0, 100)}' is not valid for parameter ${name}. UID must be an alphanumeric string of 11 characters starting with a letter, but was: ${v.slice(0, 100)}`, 'E1003');
  }
}

function known(ctx: DomainContext, what: 'Organisation unit' | 'Program' | 'Program stage' | 'Tracked entity', uid: string | undefined, exists: boolean): void {
  if (uid !== undefined && !exists) throw failure(ctx, `${what} is specified but does not exist: ${uid}`);
}

export function trackerEnrollmentCriteria(ctx: DomainContext, user: User, q: RawQuery): EnrollmentCriteria {
  const names: Names = { orgUnits: 'orgUnits', uids: 'enrollments' };
  const orgUnits = named(ctx, q, 'orgUnit', names.orgUnits);
  const uids = named(ctx, q, 'enrollment', names.uids);
  checkUids(ctx, names.uids, uids);
  for (const ou of orgUnits) known(ctx, 'Organisation unit', ou, ctx.meta.orgUnits.has(ou));
  const program = firstValue(q.program);
  known(ctx, 'Program', program, !!program && ctx.meta.programs.has(program));
  const trackedEntity = firstValue(q.trackedEntity);
  const status = (firstValue(q.status) ?? firstValue(q.programStatus))?.toUpperCase();
  if (status && !['ACTIVE', 'COMPLETED', 'CANCELLED'].includes(status)) throw failure(ctx, `Value '${status}' is not valid for parameter programStatus. Valid values are: [ACTIVE, COMPLETED, CANCELLED]`);
  return {
    orgUnits, ouMode: mode(ctx, user, q, orgUnits), program, status: status as EnrollmentStatus | undefined,
    followUp: parseBool(firstValue(q.followUp)), trackedEntity, uids: uids.length > 0 ? uids : undefined,
    includeDeleted: parseBool(firstValue(q.includeDeleted)) === true, updatedAfter: firstValue(q.updatedAfter),
  };
}

export function trackerEventCriteria(ctx: DomainContext, user: User, q: RawQuery): EventCriteria {
  const orgUnit = firstValue(q.orgUnit);
  const orgUnits = orgUnit ? [orgUnit] : [];
  known(ctx, 'Organisation unit', orgUnit, !!orgUnit && ctx.meta.orgUnits.has(orgUnit));
  const program = firstValue(q.program);
  known(ctx, 'Program', program, !!program && ctx.meta.programs.has(program));
  const programStage = firstValue(q.programStage);
  known(ctx, 'Program stage', programStage, !!programStage && ctx.meta.programStages.has(programStage));
  const uids = named(ctx, q, 'event', 'events');
  checkUids(ctx, 'events', uids);
  const enrollments = ctx.version.atLeast('2.41') ? named(ctx, q, 'enrollment', 'enrollments') : values(q.enrollments ?? q.enrollment, ';');
  const status = firstValue(q.status)?.toUpperCase();
  if (status && !['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED'].includes(status)) {
    throw failure(ctx, `Value '${status}' is not valid for parameter status. Valid values are: [ACTIVE, COMPLETED, VISITED, SCHEDULE, OVERDUE, SKIPPED]`);
  }
  const filters = parseAttributeFilters(paramValues(q.filter), { version: ctx.version, api: 'tracker', checkDuplicates: false });
  const unknownDe = filters.find((f) => !ctx.meta.dataElements.has(f.attribute));
  if (unknownDe) throw failure(ctx, `Data element does not exist: ${unknownDe.attribute}`);
  return {
    orgUnits, ouMode: mode(ctx, user, q, orgUnits), program, programStage, trackedEntity: firstValue(q.trackedEntity),
    enrollments: enrollments.length > 0 ? enrollments : undefined, uids: uids.length > 0 ? uids : undefined,
    status: status as EventStatus | undefined, includeDeleted: parseBool(firstValue(q.includeDeleted)) === true,
    occurredAfter: firstValue(q.occurredAfter), occurredBefore: firstValue(q.occurredBefore), updatedAfter: firstValue(q.updatedAfter),
    filters: filters.filter((f) => f.conditions.length > 0),
  };
}
