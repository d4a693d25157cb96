import type { MetadataIndex } from '../metadata-index.js';
import { dropUndefined } from '../render.js';
import type { StoredEvent } from '../types.js';
import type { Dhis2Version } from '../versions.js';

/** The default category option combo every event of a default-category program carries (Sierra Leone demo UID). */
export const DEFAULT_ATTRIBUTE_OPTION_COMBO = 'HllvX50cXC0';
/** The default category option of that combo. */
export const DEFAULT_CATEGORY_OPTION = 'xYerKDKCefk';

/** The legacy event DTO (dxf2/events/event/Event.java), as `GET /api/events` renders it. */
export function renderLegacyEvent(meta: MetadataIndex, e: StoredEvent, enrollmentStatus: string | undefined): Record<string, unknown> {
  return dropUndefined({
    storedBy: e.storedBy,
    dueDate: e.scheduledAt,
    createdAtClient: e.createdAtClient,
    program: e.program,
    event: e.uid,
    programStage: e.programStage,
    orgUnit: e.orgUnit,
    trackedEntityInstance: e.trackedEntity,
    enrollment: e.enrollment,
    enrollmentStatus,
    status: e.status,
    orgUnitName: meta.orgUnits.get(e.orgUnit)?.name,
    eventDate: e.occurredAt,
    attributeCategoryOptions: DEFAULT_CATEGORY_OPTION,
    lastUpdated: e.lastUpdated,
    created: e.created,
    lastUpdatedAtClient: e.lastUpdatedAtClient,
    completedBy: e.completedBy,
    completedDate: e.completedAt,
    followup: e.followup ?? false,
    deleted: e.deleted,
    attributeOptionCombo: DEFAULT_ATTRIBUTE_OPTION_COMBO,
    geometry: e.geometry,
    dataValues: e.dataValues.map((d) => ({ lastUpdated: d.lastUpdated, storedBy: d.storedBy, created: d.created, dataElement: d.dataElement, value: d.value, providedElsewhere: d.providedElsewhere })),
    notes: [],
    relationships: [],
  });
}

/**
 * The tracker event view (webapi/controller/tracker/view/Event.java). `followup` is spelled
 * `followUp` from 2.41; `orgUnitName` is rendered up to 2.40 (both inferred from the view classes).
 */
export function renderTrackerEvent(meta: MetadataIndex, version: Dhis2Version, e: StoredEvent): Record<string, unknown> {
  const modern = version.atLeast('2.41');
  return dropUndefined({
    event: e.uid,
    status: e.status,
    program: e.program,
    programStage: e.programStage,
    enrollment: e.enrollment,
    trackedEntity: e.trackedEntity,
    orgUnit: e.orgUnit,
    orgUnitName: modern ? undefined : meta.orgUnits.get(e.orgUnit)?.name,
    relationships: [],
    occurredAt: e.occurredAt,
    scheduledAt: e.scheduledAt,
    storedBy: e.storedBy,
    [modern ? 'followUp' : 'followup']: e.followup ?? false,
    deleted: e.deleted,
    createdAt: e.created,
    createdAtClient: e.createdAtClient,
    updatedAt: e.lastUpdated,
    updatedAtClient: e.lastUpdatedAtClient,
    attributeOptionCombo: DEFAULT_ATTRIBUTE_OPTION_COMBO,
    attributeCategoryOptions: DEFAULT_CATEGORY_OPTION,
    completedBy: e.completedBy,
    completedAt: e.completedAt,
    geometry: e.geometry,
    dataValues: e.dataValues.map((d) => ({
      createdAt: d.created, updatedAt: d.lastUpdated, storedBy: d.storedBy, providedElsewhere: d.providedElsewhere, dataElement: d.dataElement, value: d.value,
    })),
    notes: [],
  });
}
