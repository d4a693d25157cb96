import type { EntityStore } from '../store/entity-store.js';
import type { EventStore } from '../store/event-store.js';
import { duplicateEnrollments, type DuplicateEnrollmentGroup } from './enrollments/duplicates.js';
import { duplicateEvents, type DuplicateEventGroup } from './events/duplicates.js';
import type { MetadataIndex } from './metadata-index.js';

export type { DuplicateEnrollmentGroup } from './enrollments/duplicates.js';
export type { DuplicateEventGroup } from './events/duplicates.js';

export interface DuplicateGroup {
  attribute: string;
  /** the value as the first holder (by UID) stores it; holders may differ in case */
  value: string;
  /** 'global', or the registration org unit UID for an orgunitScope attribute */
  scope: string;
  uids: string[];
}

/** Soft-deleted holders of a key value that another entity (live or deleted) also holds. */
export interface SoftDeletedGroup extends DuplicateGroup {
  /** live entities holding the same value in the same scope (empty if only deleted ones do) */
  liveUids: string[];
}

export interface InvariantReport {
  /** no two live entities share a watched key within its scope, and no duplicate enrollments or events */
  ok: boolean;
  liveEntities: number;
  softDeletedEntities: number;
  /** the attributes checked: every unique one, plus those the caller named */
  attributes: string[];
  duplicates: DuplicateGroup[];
  /**
   * Listed apart from `duplicates`, never counted against `ok`: legacy imports ignore deleted
   * holders, but the tracker importer's unique check still sees them (spec §3.4), so they explain
   * E1064s on values that look free.
   */
  softDeleted: SoftDeletedGroup[];
  /** live enrollments of one entity and program that DHIS2's rules forbid together */
  duplicateEnrollments: DuplicateEnrollmentGroup[];
  /** the data elements checked as event source keys (the caller names them) */
  eventKeyDataElements: string[];
  /** live events of a non-repeatable stage in one enrollment, or of one stage and entity sharing a source key */
  duplicateEvents: DuplicateEventGroup[];
}

/** The event table and the data elements the caller names as holding an event's source key. */
export interface EventInvariantInput {
  events?: EventStore;
  eventKeyDataElements?: string[];
}

interface Holders {
  attribute: string;
  scope: string;
  live: { uid: string; value: string }[];
  deleted: { uid: string; value: string }[];
}

/**
 * The upsert contract's invariant (interfaces.md): at most one live entity per key. Checked per
 * unique attribute within its scope (global, or the exact registration org unit when
 * `orgunitScope`, as DefaultTrackedEntityAttributeService.validateAttributeUniquenessWithinScope
 * scopes it) and per any attribute the caller names as its key (global scope unless the attribute
 * is org-unit scoped). Values compare case-insensitively, like the legacy check's
 * `lower(value) = lower(input)` and the integrators' EQ searches.
 */
export function checkInvariants(meta: MetadataIndex, store: EntityStore, extraAttributes: string[] = [], input: EventInvariantInput = {}): InvariantReport {
  const { events } = input;
  const entities = checkEntityKeys(meta, store, extraAttributes);
  const enrollmentGroups = duplicateEnrollments(meta, store);
  const keyDataElements = [...new Set(input.eventKeyDataElements ?? [])].sort();
  const eventGroups = events ? duplicateEvents(meta, store, events, keyDataElements) : [];
  return {
    ...entities,
    ok: entities.ok && enrollmentGroups.length === 0 && eventGroups.length === 0,
    duplicateEnrollments: enrollmentGroups,
    eventKeyDataElements: keyDataElements,
    duplicateEvents: eventGroups,
  };
}

type EntityKeyReport = Omit<InvariantReport, 'duplicateEnrollments' | 'eventKeyDataElements' | 'duplicateEvents'>;

function checkEntityKeys(meta: MetadataIndex, store: EntityStore, extraAttributes: string[]): EntityKeyReport {
  const watched = new Map<string, boolean>();
  for (const a of meta.attributes.values()) if (a.unique) watched.set(a.id, a.orgunitScope);
  for (const id of extraAttributes) if (!watched.has(id)) watched.set(id, meta.attributes.get(id)?.orgunitScope ?? false);
  const groups = new Map<string, Holders>();
  let liveEntities = 0;
  let softDeletedEntities = 0;
  for (const e of store.all()) {
    if (e.deleted) softDeletedEntities++;
    else liveEntities++;
    for (const a of e.attributes) {
      const scoped = watched.get(a.attribute);
      if (scoped === undefined || a.value.trim() === '') continue;
      const scope = scoped ? e.orgUnit : 'global';
      const key = `${a.attribute}\u0000${scope}\u0000${a.value.toLowerCase()}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { attribute: a.attribute, scope, live: [], deleted: [] }));
      (e.deleted ? group.deleted : group.live).push({ uid: e.uid, value: a.value });
    }
  }
  const duplicates: DuplicateGroup[] = [];
  const softDeleted: SoftDeletedGroup[] = [];
  for (const g of groups.values()) {
    const live = [...g.live].sort(byUid);
    const dead = [...g.deleted].sort(byUid);
    if (live.length > 1) duplicates.push({ attribute: g.attribute, value: live[0].value, scope: g.scope, uids: live.map((h) => h.uid) });
    if (dead.length > 0 && live.length + dead.length > 1) {
      softDeleted.push({ attribute: g.attribute, value: (live[0] ?? dead[0]).value, scope: g.scope, uids: dead.map((h) => h.uid), liveUids: live.map((h) => h.uid) });
    }
  }
  duplicates.sort(byGroup);
  softDeleted.sort(byGroup);
  return { ok: duplicates.length === 0, liveEntities, softDeletedEntities, attributes: [...watched.keys()].sort(), duplicates, softDeleted };
}

const byUid = (a: { uid: string }, b: { uid: string }) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
const byGroup = (a: DuplicateGroup, b: DuplicateGroup) =>
  a.attribute.localeCompare(b.attribute) || a.scope.localeCompare(b.scope) || a.value.toLowerCase().localeCompare(b.value.toLowerCase());
