import { normaliseValue } from '../attribute-values.js';
import type { SentDataValue } from '../events/data-values.js';
import { isObject, PayloadError, readArray, readBoolean, readString, requireObject } from '../payload.js';

/** A legacy event DTO (dxf2/events/event/Event.java) as the importer reads it. */
export interface LegacyEventInput {
  /** the UID as sent */
  event?: string;
  program?: string;
  programStage?: string;
  enrollment?: string;
  trackedEntityInstance?: string;
  orgUnit?: string;
  status?: string;
  eventDate?: string;
  dueDate?: string;
  completedDate?: string;
  completedBy?: string;
  storedBy?: string;
  followup?: boolean;
  deleted?: boolean;
  geometry?: unknown;
  createdAtClient?: string;
  lastUpdatedAtClient?: string;
  dataValues: SentDataValue[];
}

export const LEGACY_EVENT_STATUSES = ['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED'];
const EVENT_CLASS = 'org.hisp.dhis.dxf2.events.event.Event';

export function readLegacyEvent(raw: unknown, p: string): LegacyEventInput {
  const o = requireObject(raw, p, EVENT_CLASS);
  const status = readString(o, 'status', p);
  if (status !== undefined && !LEGACY_EVENT_STATUSES.includes(status)) {
    // Jackson's enum mapping failure; the legacy controllers answer it with 409 (spec §2.4)
    throw new PayloadError(`Cannot deserialize value of type \`org.hisp.dhis.event.EventStatus\` from String "${status.slice(0, 100)}": not one of the values accepted for Enum class: [${LEGACY_EVENT_STATUSES.join(', ')}]`);
  }
  return {
    event: readString(o, 'event', p),
    program: readString(o, 'program', p),
    programStage: readString(o, 'programStage', p),
    enrollment: readString(o, 'enrollment', p),
    trackedEntityInstance: readString(o, 'trackedEntityInstance', p),
    orgUnit: readString(o, 'orgUnit', p),
    status,
    eventDate: readString(o, 'eventDate', p),
    dueDate: readString(o, 'dueDate', p),
    completedDate: readString(o, 'completedDate', p),
    completedBy: readString(o, 'completedBy', p),
    storedBy: readString(o, 'storedBy', p),
    followup: readBoolean(o, 'followup', p),
    deleted: readBoolean(o, 'deleted', p),
    geometry: isObject(o.geometry) ? o.geometry : undefined,
    createdAtClient: readString(o, 'createdAtClient', p),
    lastUpdatedAtClient: readString(o, 'lastUpdatedAtClient', p),
    dataValues: (readArray(o, 'dataValues', p) ?? []).map((d, i) => {
      const dv = requireObject(d, `${p}.dataValues[${i}]`, 'org.hisp.dhis.dxf2.events.event.DataValue');
      return {
        dataElement: readString(dv, 'dataElement', `${p}.dataValues[${i}]`) ?? '',
        value: normaliseValue(dv.value, false),
        providedElsewhere: readBoolean(dv, 'providedElsewhere', `${p}.dataValues[${i}]`),
      };
    }),
  };
}

/** `{"events":[...]}` or a single event (EventController, JacksonEventService). */
export function readLegacyEventsBody(body: unknown): LegacyEventInput[] {
  const root = requireObject(body, '$', EVENT_CLASS);
  if (Object.prototype.hasOwnProperty.call(root, 'events')) {
    return (readArray(root, 'events', '$') ?? []).map((e, i) => readLegacyEvent(e, `$.events[${i}]`));
  }
  return [readLegacyEvent(root, '$')];
}
