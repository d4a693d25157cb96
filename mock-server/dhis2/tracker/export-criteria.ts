import { canSearch, hasAuthority } from '../access.js';
import type { DomainContext } from '../context.js';
import { legacyCriteria } from '../legacy/search-criteria.js';
import { firstValue, joinedValue, paramValues, parseAttributeFilters, parseBool, type RawQuery } from '../query/index.js';
import { isUid } from '../random.js';
import { OU_MODES, type OuMode, type SearchCriteria } from '../search.js';
import type { User } from '../types.js';
import { badRequest, conflict, Dhis2HttpError } from '../web-message.js';

export interface TrackerExportQuery {
  criteria: SearchCriteria;
  /** `potentialDuplicate` filter (2.38+), applied after the search */
  potentialDuplicate?: boolean;
}

/** 2.36–2.40 tracker names → the legacy criteria names the shared service validates (spec §3.7). */
const LEGACY_NAMES: Record<string, string> = {
  orgUnit: 'ou', trackedEntity: 'trackedEntityInstance', updatedAfter: 'lastUpdatedStartDate', updatedBefore: 'lastUpdatedEndDate',
  updatedWithin: 'lastUpdatedDuration', enrollmentEnrolledAfter: 'programEnrollmentStartDate', enrollmentEnrolledBefore: 'programEnrollmentEndDate',
  enrollmentOccurredAfter: 'programIncidentStartDate', enrollmentOccurredBefore: 'programIncidentEndDate',
  eventOccurredAfter: 'eventStartDate', eventOccurredBefore: 'eventEndDate',
};
const SHARED_NAMES = ['ouMode', 'program', 'programStatus', 'followUp', 'trackedEntityType', 'filter', 'attribute', 'query', 'includeDeleted', 'eventStatus', 'assignedUserMode', 'assignedUser', 'programStage'];

/** `GET /api/tracker/trackedEntities` parameters → search criteria, with each version's rules. */
export function trackerExportQuery(ctx: DomainContext, user: User, q: RawQuery): TrackerExportQuery {
  const potentialDuplicate = ctx.version.atLeast('2.38') ? parseBool(firstValue(q.potentialDuplicate)) : undefined;
  const criteria = ctx.version.atLeast('2.41') ? modernCriteria(ctx, user, q) : criteriaUpTo240(ctx, user, q);
  return { criteria, potentialDuplicate };
}

/**
 * 2.36–2.40 (TrackerTrackedEntityCriteria): the criteria go through the legacy list's service, so
 * its 409 messages apply unchanged. 2.40 adds 400s for unknown org unit / program / type and
 * takes `filter` as one comma-separated string.
 */
function criteriaUpTo240(ctx: DomainContext, user: User, q: RawQuery): SearchCriteria {
  const is240 = ctx.version.atLeast('2.40');
  const translated: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(LEGACY_NAMES)) if (q[from] !== undefined) translated[to] = q[from];
  for (const name of SHARED_NAMES) if (q[name] !== undefined) translated[name] = q[name];
  if (!is240) return legacyCriteria(ctx, user, translated);

  // String properties of TrackerTrackedEntityCriteria: repeated values arrive comma-joined
  for (const ou of (joinedValue(q.orgUnit) ?? '').split(';').filter(Boolean)) {
    if (!ctx.meta.orgUnits.has(ou)) throw badRequest(`Organisation unit does not exist: ${ou}`, 'E1003');
  }
  const program = joinedValue(q.program);
  if (program && !ctx.meta.programs.has(program)) throw badRequest(`Program is specified but does not exist: ${program}`, 'E1003');
  const tet = joinedValue(q.trackedEntityType);
  if (tet && !ctx.meta.types.has(tet)) throw badRequest(`Tracked entity type does not exist: ${tet}`, 'E1003');
  const filters = parseAttributeFilters(paramValues(q.filter), { version: ctx.version, api: 'tracker', attributeExists: (a) => ctx.meta.attributes.has(a) });
  delete translated.filter;
  const base = legacyCriteria(ctx, user, translated);
  if (base.query && filters.length > 0) throw conflict('Query cannot be specified together with filters');
  return { ...base, filters: [...base.filters, ...filters.filter((f) => f.conditions.length > 0)] };
}

const bad = (message: string) => badRequest(message, 'E1003');

/** Typed `UID` request parameters (2.41+): a malformed value fails binding with 400. */
function uids(name: string, values: string[]): string[] {
  for (const v of values) {
    const shown = v.slice(0, 100);
    if (!isUid(v)) throw bad(`Value '${shown}' is not valid for parameter ${name}. UID must be an alphanumeric string of 11 characters starting with a letter, but was: ${shown}`);
  }
  return values;
}

/** 2.41 accepts the deprecated name or the new one, never both; 2.42 knows only the new name. */
function renamed(ctx: DomainContext, q: RawQuery, oldName: string, newName: string, oldSep: string): string[] {
  const fresh = paramValues(q[newName]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (ctx.version.atLeast('2.42')) return fresh;
  const old = paramValues(q[oldName]).flatMap((s) => s.split(oldSep)).map((s) => s.trim()).filter(Boolean);
  if (old.length > 0 && fresh.length > 0) {
    throw bad(`Only one parameter of '${oldName}' and '${newName}' must be specified. Prefer '${newName}' as '${oldName}' will be removed.`);
  }
  return fresh.length > 0 ? fresh : old;
}

/**
 * 2.41+ (TrackedEntityRequestParams + RequestParamsValidator, spec §3.7): new names with 400s
 * carrying errorCode E1003; `query`, `attribute` and `includeAllAttributes` are gone; orgUnitMode
 * defaults to SELECTED with org units and ACCESSIBLE without. Messages partly inferred.
 */
function modernCriteria(ctx: DomainContext, user: User, q: RawQuery): SearchCriteria {
  for (const removed of ['query', 'attribute', 'includeAllAttributes']) {
    if (q[removed] !== undefined) {
      throw bad(removed === 'includeAllAttributes'
        ? '`includeAllAttributes` parameter was removed in v41. All tracked entity attributes are returned based on the program or tracked entity type.'
        : `\`${removed}\` parameter was removed in v41. Use \`filter\` instead.`);
    }
  }
  const orgUnits = uids('orgUnits', renamed(ctx, q, 'orgUnit', 'orgUnits', ';'));
  const teUids = uids('trackedEntities', renamed(ctx, q, 'trackedEntity', 'trackedEntities', ';'));
  renamed(ctx, q, 'assignedUser', 'assignedUsers', ';');
  const modeParam = ctx.version.atLeast('2.42') ? firstValue(q.orgUnitMode) : renamedMode(q);
  const modeRaw = modeParam?.trim().toUpperCase();
  if (modeRaw && !(OU_MODES as readonly string[]).includes(modeRaw)) {
    throw bad(`Value '${modeParam}' is not valid for parameter orgUnitMode. Valid values are: [${OU_MODES.join(', ')}]`);
  }
  const ouMode = (modeRaw ?? (orgUnits.length > 0 ? 'SELECTED' : 'ACCESSIBLE')) as OuMode;
  const program = firstValue(q.program);
  const tet = firstValue(q.trackedEntityType);
  if (program) uids('program', [program]);
  if (tet) uids('trackedEntityType', [tet]);

  if (orgUnits.length > 0 && (ouMode === 'ACCESSIBLE' || ouMode === 'CAPTURE' || ouMode === 'ALL')) {
    throw bad(`orgUnitMode ${ouMode} cannot be used with orgUnits. Please remove the orgUnits parameter and try again.`);
  }
  if (orgUnits.length === 0 && teUids.length === 0 && (ouMode === 'SELECTED' || ouMode === 'CHILDREN' || ouMode === 'DESCENDANTS')) {
    throw bad(`At least one org unit or tracked entity is required for orgUnitMode: ${ouMode}. Please add at least one org unit or tracked entity or use a different orgUnitMode.`);
  }
  if (ouMode === 'ALL' && !hasAuthority(user, 'F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS')) {
    throw bad('Current user is not authorized to query across all organisation units');
  }
  for (const ou of orgUnits) {
    if (!ctx.meta.orgUnits.has(ou)) throw bad(`Organisation unit does not exist: ${ou}`);
    if (!canSearch(ctx.meta, user, ou)) throw new Dhis2HttpError(403, `User does not have access to orgUnit: ${ou}`, 'E1006');
  }
  if (!program && !tet && teUids.length === 0) throw bad('Either `program`, `trackedEntityType` or `trackedEntities` should be specified');
  if (program && tet) throw bad('`program` and `trackedEntityType` cannot be specified simultaneously');
  if (program && !ctx.meta.programs.has(program)) throw bad(`Program is specified but does not exist: ${program}`);
  if (tet && !ctx.meta.types.has(tet)) throw bad(`Tracked entity type does not exist: ${tet}`);

  const filters = parseAttributeFilters(paramValues(q.filter), { version: ctx.version, api: 'tracker', attributeExists: (a) => ctx.meta.attributes.has(a) });
  const status = statusParam(ctx, q);
  const updatedAfter = firstValue(q.updatedAfter);
  const updatedBefore = firstValue(q.updatedBefore);
  const within = firstValue(q.updatedWithin);
  if (within && (updatedAfter || updatedBefore)) throw bad('Last updated from and/or to and last updated duration cannot be specified simultaneously');
  return {
    orgUnits,
    ouMode,
    program,
    programStatus: status,
    trackedEntityType: tet,
    uids: teUids.length > 0 ? teUids : undefined,
    filters: filters.filter((f) => f.conditions.length > 0),
    includeDeleted: parseBool(firstValue(q.includeDeleted)) === true,
    updatedAfter: within ? sinceDuration(ctx, within) : updatedAfter && isoDate(updatedAfter, false),
    updatedBefore: updatedBefore && isoDate(updatedBefore, true),
    caseSensitive: false,
  };
}

function renamedMode(q: RawQuery): string | undefined {
  const old = firstValue(q.ouMode);
  const fresh = firstValue(q.orgUnitMode);
  if (old !== undefined && fresh !== undefined) {
    throw bad("Only one parameter of 'ouMode' and 'orgUnitMode' must be specified. Prefer 'orgUnitMode' as 'ouMode' will be removed.");
  }
  return fresh ?? old;
}

/** `programStatus`; 2.42 adds `enrollmentStatus` for the same thing. */
function statusParam(ctx: DomainContext, q: RawQuery): string | undefined {
  const program = firstValue(q.programStatus);
  const enrollment = ctx.version.atLeast('2.42') ? firstValue(q.enrollmentStatus) : undefined;
  if (program && enrollment) {
    throw bad("Only one parameter of 'programStatus' and 'enrollmentStatus' must be specified. Prefer 'enrollmentStatus' as 'programStatus' will be removed.");
  }
  const raw = (enrollment ?? program)?.trim().toUpperCase();
  if (raw && !['ACTIVE', 'COMPLETED', 'CANCELLED'].includes(raw)) {
    throw bad(`Value '${enrollment ?? program}' is not valid for parameter ${enrollment ? 'enrollmentStatus' : 'programStatus'}. Valid values are: [ACTIVE, COMPLETED, CANCELLED]`);
  }
  return raw;
}

function isoDate(input: string, endOfDay: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(input)) return `${input}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}`;
  const d = new Date(input);
  if (Number.isNaN(d.getTime())) throw bad(`Invalid date: ${input.slice(0, 50)}`);
  return d.toISOString().slice(0, 23);
}

function sinceDuration(ctx: DomainContext, duration: string): string {
  const m = /^(\d+)([smhd])$/.exec(duration);
  if (!m) throw bad(`Duration is not valid: ${duration.slice(0, 50)}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return new Date(ctx.clock() - Number(m[1]) * unit).toISOString().slice(0, 23);
}
