import { renderLegacyEnrollment, renderTrackerEnrollment } from './enrollments/render.js';
import type { MetadataIndex } from './metadata-index.js';
import type { StoredAttributeValue, StoredEntity, StoredEvent } from './types.js';
import type { Dhis2Version } from './versions.js';

/**
 * Which attribute values a read returns (spec §2.2): a single GET returns the entity type's
 * attributes (plus the program's with `?program=`); a list returns attributes of any type plus those
 * of programs the entity is owned in. Values of attributes assigned to nothing stay hidden.
 */
export function visibleAttributes(meta: MetadataIndex, e: StoredEntity, mode: 'single' | 'list', program?: string): StoredAttributeValue[] {
  const allowed = mode === 'single' ? meta.typeAttributeIds(e.trackedEntityType) : meta.allTypeAttributeIds();
  if (program) for (const id of meta.programAttributeIds(program)) allowed.add(id);
  if (mode === 'list') for (const o of e.programOwners) for (const id of meta.programAttributeIds(o.program)) allowed.add(id);
  return e.attributes.filter((a) => allowed.has(a.attribute));
}

function attributeView(meta: MetadataIndex, a: StoredAttributeValue, api: 'legacy' | 'tracker', listDates: boolean) {
  const def = meta.attributes.get(a.attribute);
  const created = listDates ? `${a.created.slice(0, 10)}T00:00:00.000` : a.created;
  const lastUpdated = listDates ? `${a.lastUpdated.slice(0, 10)}T00:00:00.000` : a.lastUpdated;
  if (api === 'legacy') {
    return {
      lastUpdated, storedBy: a.storedBy, code: def?.code, displayName: def?.name ?? a.attribute,
      created, valueType: def?.valueType ?? 'TEXT', attribute: a.attribute, value: a.value,
    };
  }
  return {
    attribute: a.attribute, code: def?.code, displayName: def?.name ?? a.attribute, createdAt: a.created,
    updatedAt: a.lastUpdated, storedBy: a.storedBy, valueType: def?.valueType ?? 'TEXT', value: a.value,
  };
}

export interface RenderOptions {
  mode: 'single' | 'list';
  program?: string;
  /** load enrollments, programOwners (`fields=*` or a list naming them) */
  deep: boolean;
  /** an enrollment's events, for deep renders (none when absent) */
  eventsOf?: (enrollment: string) => StoredEvent[];
}

/** The legacy TEI DTO (dxf2/events/trackedentity/TrackedEntityInstance.java). */
export function renderLegacyTei(meta: MetadataIndex, version: Dhis2Version, e: StoredEntity, opts: RenderOptions): Record<string, unknown> {
  // 2.35–2.37 list reads attribute dates from a SQL date: midnight (spec §2.2)
  const listDates = opts.mode === 'list' && version.below('2.38');
  const tei: Record<string, unknown> = {
    created: e.created,
    orgUnit: e.orgUnit,
    createdAtClient: e.createdAtClient,
    trackedEntityInstance: e.uid,
    lastUpdated: e.lastUpdated,
    trackedEntityType: e.trackedEntityType,
    lastUpdatedAtClient: e.lastUpdatedAtClient,
    inactive: e.inactive,
    deleted: e.deleted,
    ...(version.atLeast('2.37') ? { potentialDuplicate: e.potentialDuplicate } : {}),
    featureType: e.featureType ?? 'NONE',
    geometry: e.geometry,
    storedBy: opts.mode === 'single' ? e.storedBy : undefined,
    programOwners: opts.deep ? e.programOwners.map((o) => ({ ownerOrgUnit: o.orgUnit, program: o.program, trackedEntityInstance: e.uid })) : [],
    enrollments: opts.deep ? e.enrollments.filter((en) => !en.deleted).map((en) => renderLegacyEnrollment(meta, e, en, opts.eventsOf?.(en.uid))) : [],
    relationships: [],
    attributes: visibleAttributes(meta, e, opts.mode, opts.program).map((a) => attributeView(meta, a, 'legacy', listDates)),
  };
  return dropUndefined(tei);
}

/** The tracker TE view (webapi/controller/tracker/view/TrackedEntity.java). */
export function renderTrackerTe(meta: MetadataIndex, version: Dhis2Version, e: StoredEntity, opts: RenderOptions): Record<string, unknown> {
  return dropUndefined({
    trackedEntity: e.uid,
    trackedEntityType: e.trackedEntityType,
    createdAt: e.created,
    createdAtClient: e.createdAtClient,
    updatedAt: e.lastUpdated,
    updatedAtClient: e.lastUpdatedAtClient,
    orgUnit: e.orgUnit,
    inactive: e.inactive,
    deleted: e.deleted,
    potentialDuplicate: e.potentialDuplicate,
    geometry: e.geometry,
    storedBy: e.storedBy,
    attributes: visibleAttributes(meta, e, 'single', opts.program).map((a) => attributeView(meta, a, 'tracker', false)),
    enrollments: opts.deep ? e.enrollments.filter((en) => !en.deleted).map((en) => renderTrackerEnrollment(meta, version, e, en, opts.eventsOf?.(en.uid))) : [],
    relationships: [],
    programOwners: opts.deep ? e.programOwners.map((o) => ({ orgUnit: o.orgUnit, trackedEntity: e.uid, program: o.program })) : [],
  });
}

/** Jackson NON_NULL: absent values are omitted, empty lists kept (spec §1). */
export function dropUndefined<T extends Record<string, unknown>>(obj: T): T {
  // builds a new object instead of deleting keys: `delete` drops V8 into dictionary mode, which
  // makes the JSON.stringify of every rendered entity several times slower (measured in bench/)
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v)
      ? v.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? dropUndefined(item as Record<string, unknown>) : item))
      : v;
  }
  return out as T;
}
