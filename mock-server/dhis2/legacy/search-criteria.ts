import { canSearch, hasAuthority } from '../access.js';
import type { DomainContext } from '../context.js';
import { firstValue, joinedValue, paramValues, parseAttributeFilters, duplicateFilterError, type RawQuery } from '../query/index.js';
import { OU_MODES, type OuMode, type SearchCriteria } from '../search.js';
import type { User } from '../types.js';
import { conflict } from '../web-message.js';

const DURATION = /^(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `GET /api/trackedEntityInstances` parameters → search criteria, with DHIS2's checks: the mapper's
 * immediate 409s first (unknown ou/program/type/attribute, search scope, ouMode=ALL authority),
 * then the service's rule list where only the LAST violated rule's message is returned
 * (DefaultTrackedEntityInstanceService.validate, spec §2.2 "Mandatory parameters").
 */
export function legacyCriteria(ctx: DomainContext, user: User, q: RawQuery): SearchCriteria {
  const v = ctx.version;
  // ou, program, trackedEntityType, trackedEntityInstance and query are String properties of
  // TrackedEntityInstanceCriteria: repeats arrive comma-joined (joinedValue), so `ou=A&ou=B` is the
  // one unknown org unit "A,B"; filter and attribute are Set<String>, so identical repeats collapse
  const orgUnits = (joinedValue(q.ou) ?? '').split(';').filter(Boolean);
  const ouModeRaw = firstValue(q.ouMode)?.toUpperCase();
  if (ouModeRaw && !(OU_MODES as readonly string[]).includes(ouModeRaw)) {
    throw conflict(`Failed to convert value of type 'java.lang.String' to required type 'org.hisp.dhis.common.OrganisationUnitSelectionMode'; value: ${ouModeRaw}`);
  }
  const ouMode = (ouModeRaw ?? 'SELECTED') as OuMode;
  const program = joinedValue(q.program);
  const tet = joinedValue(q.trackedEntityType);
  const uids = (joinedValue(q.trackedEntityInstance) ?? '').split(';').filter(Boolean);

  if (v.atLeast('2.41') && orgUnits.length > 0 && (ouMode === 'ACCESSIBLE' || ouMode === 'CAPTURE')) {
    throw conflict(`ouMode ${ouMode} cannot be used with orgUnits. Please remove the ou parameter and try again.`);
  }
  for (const ou of orgUnits) {
    if (!ctx.meta.orgUnits.has(ou)) throw conflict(`Organisation unit does not exist: ${ou}`);
    if (!canSearch(ctx.meta, user, ou)) throw conflict(`Organisation unit is not part of the search scope: ${ou}`);
  }
  if (program && !ctx.meta.programs.has(program)) throw conflict(`Program does not exist: ${program}`);
  if (tet && !ctx.meta.types.has(tet)) throw conflict(`Tracked entity type does not exist: ${tet}`);
  const parseOpts = { version: v, api: 'legacy' as const, checkDuplicates: false, attributeExists: (a: string) => ctx.meta.attributes.has(a) };
  const filters = parseAttributeFilters([...new Set(paramValues(q.filter))], parseOpts);
  const attributes = parseAttributeFilters([...new Set(paramValues(q.attribute))], { ...parseOpts, param: 'attribute' as const });
  if (ouMode === 'ALL' && !hasAuthority(user, 'F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS')) {
    throw conflict('Current user is not authorized to query across all organisation units');
  }

  const queryText = joinedValue(q.query);
  const programStatus = firstValue(q.programStatus);
  const followUp = firstValue(q.followUp);
  const lastUpdatedStart = firstValue(q.lastUpdatedStartDate);
  const lastUpdatedEnd = firstValue(q.lastUpdatedEndDate);
  const duration = joinedValue(q.lastUpdatedDuration);
  const has = (k: string) => firstValue(q[k]) !== undefined;

  let violation: string | undefined;
  const modesWithoutOu: OuMode[] = v.atLeast('2.37') ? ['ALL', 'ACCESSIBLE', 'CAPTURE'] : ['ALL', 'ACCESSIBLE'];
  if (orgUnits.length === 0 && uids.length === 0 && !modesWithoutOu.includes(ouMode)) violation = 'At least one organisation unit must be specified';
  if (program && tet) violation = 'Program and tracked entity cannot be specified simultaneously';
  if (v.atLeast('2.37') && uids.length === 0 && !program && !tet) violation = 'Either Program or Tracked entity type should be specified';
  if (programStatus && !program) violation = 'Program must be defined when program status is defined';
  if (followUp && !program) violation = 'Program must be defined when follow up status is defined';
  for (const [param, words] of [
    ['programEnrollmentStartDate', 'program enrollment start date'], ['programStartDate', 'program enrollment start date'],
    ['programEnrollmentEndDate', 'program enrollment end date'], ['programEndDate', 'program enrollment end date'],
    ['programIncidentStartDate', 'program incident start date'], ['programIncidentEndDate', 'program incident end date'],
  ] as const) {
    if (has(param) && !program) violation = `Program must be defined when ${words} is specified`;
  }
  if (has('eventStatus') && (!has('eventStartDate') || !has('eventEndDate'))) violation = 'Event start and end date must be specified when event status is specified';
  if (queryText && filters.length > 0) violation = 'Query cannot be specified together with filters';
  const dupAttributes = duplicateFilterError(attributes, 'attribute');
  if (dupAttributes) violation = dupAttributes.message;
  const dupFilters = duplicateFilterError(filters, 'filter');
  if (dupFilters) violation = dupFilters.message;
  if (duration && (lastUpdatedStart || lastUpdatedEnd)) violation = 'Last updated from and/or to and last updated duration cannot be specified simultaneously';
  if (duration && !DURATION.test(duration)) violation = `Duration is not valid: ${duration}`;
  if (violation) throw conflict(violation);

  let updatedAfter = lastUpdatedStart ? normaliseDate(lastUpdatedStart) : undefined;
  if (duration) {
    const [, n, unit] = DURATION.exec(duration)!;
    updatedAfter = new Date(ctx.clock() - Number(n) * UNIT_MS[unit]).toISOString().slice(0, 23);
  }
  const queryParts = queryText?.split(':');
  return {
    orgUnits,
    ouMode,
    program,
    programStatus: programStatus?.toUpperCase(),
    trackedEntityType: tet,
    uids: uids.length > 0 ? uids : undefined,
    filters: [...filters, ...attributes].filter((f) => f.conditions.length > 0),
    query: queryText ? (queryParts!.length > 1 && /^(EQ|LIKE)$/i.test(queryParts![0])
      ? { op: queryParts![0].toUpperCase() as 'EQ' | 'LIKE', text: queryParts!.slice(1).join(':') }
      : { op: 'LIKE', text: queryText }) : undefined,
    includeDeleted: firstValue(q.includeDeleted) === 'true',
    updatedAfter,
    updatedBefore: lastUpdatedEnd ? normaliseDate(lastUpdatedEnd, true) : undefined,
  };
}

function normaliseDate(input: string, endOfDay = false): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(input)) return `${input}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}`;
  const d = new Date(input);
  if (Number.isNaN(d.getTime())) throw conflict(`Invalid date: ${input.slice(0, 50)}`);
  return d.toISOString().slice(0, 23);
}
