import { renderLegacyEvent, renderTrackerEvent } from '../events/render.js';
import type { MetadataIndex } from '../metadata-index.js';
import { dropUndefined } from '../render.js';
import type { StoredEnrollment, StoredEntity, StoredEvent } from '../types.js';
import type { Dhis2Version } from '../versions.js';

const midnight = (d: string | undefined) => (d === undefined ? undefined : `${d.slice(0, 10)}T00:00:00.000`);

/** The legacy enrollment DTO (dxf2/events/enrollment/Enrollment.java). `events` only when loaded. */
export function renderLegacyEnrollment(meta: MetadataIndex, te: StoredEntity, en: StoredEnrollment, events?: StoredEvent[]): Record<string, unknown> {
  return dropUndefined({
    storedBy: en.storedBy ?? te.storedBy,
    createdAtClient: en.createdAtClient,
    program: en.program,
    lastUpdated: en.lastUpdated,
    created: en.created,
    orgUnit: en.orgUnit,
    trackedEntityInstance: te.uid,
    enrollment: en.uid,
    trackedEntityType: te.trackedEntityType,
    orgUnitName: meta.orgUnits.get(en.orgUnit)?.name,
    lastUpdatedAtClient: en.lastUpdatedAtClient,
    enrollmentDate: midnight(en.enrollmentDate),
    deleted: en.deleted,
    incidentDate: midnight(en.incidentDate),
    followup: en.followup,
    status: en.status,
    completedBy: en.completedBy,
    completedDate: en.completedAt,
    notes: [],
    relationships: [],
    events: (events ?? []).filter((e) => !e.deleted).map((e) => renderLegacyEvent(meta, e, en.status)),
    attributes: [],
  });
}

/**
 * The tracker enrollment view (webapi/controller/tracker/view/Enrollment.java): dates as stored,
 * `orgUnitName` up to 2.40 (inferred). `events` only when loaded.
 */
export function renderTrackerEnrollment(meta: MetadataIndex, version: Dhis2Version, te: StoredEntity, en: StoredEnrollment, events?: StoredEvent[]): Record<string, unknown> {
  return dropUndefined({
    enrollment: en.uid,
    createdAt: en.created,
    createdAtClient: en.createdAtClient,
    updatedAt: en.lastUpdated,
    updatedAtClient: en.lastUpdatedAtClient,
    trackedEntity: te.uid,
    program: en.program,
    status: en.status,
    orgUnit: en.orgUnit,
    orgUnitName: version.atLeast('2.41') ? undefined : meta.orgUnits.get(en.orgUnit)?.name,
    enrolledAt: en.enrollmentDate,
    occurredAt: en.incidentDate,
    followUp: en.followup,
    deleted: en.deleted,
    storedBy: en.storedBy,
    completedBy: en.completedBy,
    completedAt: en.completedAt,
    events: (events ?? []).filter((e) => !e.deleted).map((e) => renderTrackerEvent(meta, version, e)),
    relationships: [],
    attributes: [],
    notes: [],
  });
}
