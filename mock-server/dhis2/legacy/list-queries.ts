import { hasAuthority } from '../access.js';
import type { DomainContext } from '../context.js';
import type { EnrollmentCriteria } from '../enrollments/search.js';
import type { EventCriteria } from '../events/search.js';
import { firstValue, paramValues, parseBool, type RawQuery } from '../query/index.js';
import { OU_MODES, type OuMode } from '../search.js';
import type { EnrollmentStatus, EventStatus, User } from '../types.js';
import { conflict } from '../web-message.js';
import { LEGACY_EVENT_STATUSES } from './event-input.js';

const list = (raw: unknown) => paramValues(raw).flatMap((s) => s.split(';')).map((s) => s.trim()).filter(Boolean);

function ouMode(raw: string | undefined, fallback: OuMode): OuMode {
  const mode = raw?.toUpperCase();
  if (mode && !(OU_MODES as readonly string[]).includes(mode)) {
    throw conflict(`Failed to convert value of type 'java.lang.String' to required type 'org.hisp.dhis.common.OrganisationUnitSelectionMode'; value: ${raw}`);
  }
  return (mode ?? fallback) as OuMode;
}

function allowedMode(user: User, mode: OuMode): void {
  if (mode === 'ALL' && !hasAuthority(user, 'F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS')) {
    throw conflict('Current user is not authorized to query across all organisation units');
  }
}

/**
 * `GET /api/enrollments` (EnrollmentController → ProgramInstanceService.validate, 2.35–2.41):
 * `ou` (`;`-separated), `ouMode`, `program`, `programStatus`, `followUp`, `trackedEntityInstance`,
 * `enrollment` (`;`), `lastUpdatedStartDate`, `includeDeleted`. Without org units, entity or
 * enrollment UIDs the mode must be ALL, ACCESSIBLE or CAPTURE (messages as the TEI list's; inferred).
 */
export function legacyEnrollmentCriteria(ctx: DomainContext, user: User, q: RawQuery): EnrollmentCriteria {
  const orgUnits = list(q.ou);
  const mode = ouMode(firstValue(q.ouMode), 'SELECTED');
  for (const ou of orgUnits) if (!ctx.meta.orgUnits.has(ou)) throw conflict(`Organisation unit does not exist: ${ou}`);
  const program = firstValue(q.program);
  if (program && !ctx.meta.programs.has(program)) throw conflict(`Program does not exist: ${program}`);
  const trackedEntity = firstValue(q.trackedEntityInstance);
  if (trackedEntity && !ctx.store.get(trackedEntity)) throw conflict(`Tracked entity instance does not exist: ${trackedEntity}`);
  const uids = list(q.enrollment);
  allowedMode(user, mode);
  if (orgUnits.length === 0 && !trackedEntity && uids.length === 0 && !['ALL', 'ACCESSIBLE', 'CAPTURE'].includes(mode)) {
    throw conflict('At least one organisation unit must be specified');
  }
  const status = firstValue(q.programStatus)?.toUpperCase();
  if (status && !['ACTIVE', 'COMPLETED', 'CANCELLED'].includes(status)) throw conflict(`Invalid program status: ${status}`);
  return {
    orgUnits, ouMode: orgUnits.length === 0 && mode === 'SELECTED' ? 'ALL' : mode, program, status: status as EnrollmentStatus | undefined,
    followUp: parseBool(firstValue(q.followUp)), trackedEntity, uids: uids.length > 0 ? uids : undefined,
    includeDeleted: parseBool(firstValue(q.includeDeleted)) === true, updatedAfter: firstValue(q.lastUpdatedStartDate),
  };
}

/**
 * `GET /api/events` (EventController → event criteria, 2.35–2.41): `orgUnit`, `ouMode` (default
 * SELECTED with an org unit, else the user's accessible org units), `program`, `programStage`,
 * `trackedEntityInstance`, `enrollment`, `event` (`;`-separated), `status`, `includeDeleted`. An
 * unknown reference is a 409 "… is specified but does not exist: <uid>".
 */
export function legacyEventCriteria(ctx: DomainContext, user: User, q: RawQuery): EventCriteria {
  const orgUnit = firstValue(q.orgUnit);
  if (orgUnit && !ctx.meta.orgUnits.has(orgUnit)) throw conflict(`Org unit is specified but does not exist: ${orgUnit}`);
  const program = firstValue(q.program);
  if (program && !ctx.meta.programs.has(program)) throw conflict(`Program is specified but does not exist: ${program}`);
  const programStage = firstValue(q.programStage);
  if (programStage && !ctx.meta.programStages.has(programStage)) throw conflict(`Program stage is specified but does not exist: ${programStage}`);
  const trackedEntity = firstValue(q.trackedEntityInstance);
  if (trackedEntity && !ctx.store.get(trackedEntity)) throw conflict(`Tracked entity instance is specified but does not exist: ${trackedEntity}`);
  const mode = ouMode(firstValue(q.ouMode), orgUnit ? 'SELECTED' : 'ACCESSIBLE');
  allowedMode(user, mode);
  const status = firstValue(q.status)?.toUpperCase();
  if (status && !LEGACY_EVENT_STATUSES.includes(status)) throw conflict(`Invalid event status: ${status}`);
  const enrollments = list(q.enrollment);
  const uids = list(q.event);
  return {
    orgUnits: orgUnit ? [orgUnit] : [], ouMode: mode, program, programStage, trackedEntity,
    enrollments: enrollments.length > 0 ? enrollments : undefined, uids: uids.length > 0 ? uids : undefined,
    status: status as EventStatus | undefined, includeDeleted: parseBool(firstValue(q.includeDeleted)) === true, filters: [],
  };
}
