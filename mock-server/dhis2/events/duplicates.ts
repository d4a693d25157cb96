import type { EntityStore } from '../../store/entity-store.js';
import type { EventStore } from '../../store/event-store.js';
import type { MetadataIndex } from '../metadata-index.js';
import type { StoredEvent } from '../types.js';

/** Live events that should have been one. */
export interface DuplicateEventGroup {
  /**
   * `nonRepeatableStage`: more than one event of a non-repeatable stage in one enrollment (what
   * E1039 / "Program stage is not repeatable" prevent); `sourceKey`: more than one event of one
   * stage of one entity carrying the same source key in the caller's key data element.
   */
  reason: 'nonRepeatableStage' | 'sourceKey';
  trackedEntity: string;
  programStage: string;
  /** nonRepeatableStage: the enrollment */
  enrollment?: string;
  /** sourceKey: the data element and the key (as the first event by UID stores it) */
  dataElement?: string;
  key?: string;
  /** sorted */
  events: string[];
}

/**
 * Duplicate events among live ones (the event, its enrollment and its entity not soft-deleted).
 * Always: non-repeatable stages. For each data element the caller names as holding the source key
 * (the integration's visit id), also events of one (entity, stage) that share a key, compared
 * exactly after trimming (a key is an identifier, not text to fold).
 */
export function duplicateEvents(meta: MetadataIndex, store: EntityStore, events: EventStore, keyDataElements: readonly string[] = []): DuplicateEventGroup[] {
  const live = (e: StoredEvent) => !e.deleted && store.enrollment(e.enrollment)?.enrollment.deleted !== true && store.get(e.trackedEntity)?.deleted !== true;
  const stageGroups = new Map<string, StoredEvent[]>();
  const keyGroups = new Map<string, { dataElement: string; key: string; events: StoredEvent[] }>();
  for (const e of events.all()) {
    if (!live(e)) continue;
    if (meta.programStages.get(e.programStage)?.repeatable === false) push(stageGroups, `${e.enrollment}\u0000${e.programStage}`, e);
    for (const de of keyDataElements) {
      const key = e.dataValues.find((d) => d.dataElement === de)?.value.trim();
      if (!key) continue;
      const id = `${e.trackedEntity}\u0000${e.programStage}\u0000${de}\u0000${key}`;
      const group = keyGroups.get(id) ?? { dataElement: de, key, events: [] };
      group.events.push(e);
      keyGroups.set(id, group);
    }
  }
  const out: DuplicateEventGroup[] = [];
  for (const list of stageGroups.values()) {
    if (list.length < 2) continue;
    out.push({ reason: 'nonRepeatableStage', trackedEntity: list[0].trackedEntity, programStage: list[0].programStage, enrollment: list[0].enrollment, events: uids(list) });
  }
  for (const g of keyGroups.values()) {
    if (g.events.length < 2) continue;
    const first = [...g.events].sort(byUid)[0];
    out.push({ reason: 'sourceKey', trackedEntity: first.trackedEntity, programStage: first.programStage, dataElement: g.dataElement, key: g.key, events: uids(g.events) });
  }
  return out.sort((a, b) => a.reason.localeCompare(b.reason) || a.trackedEntity.localeCompare(b.trackedEntity) || a.programStage.localeCompare(b.programStage) || a.events[0].localeCompare(b.events[0]));
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  map.set(key, [...(map.get(key) ?? []), item]);
}

const byUid = (a: StoredEvent, b: StoredEvent) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
const uids = (list: StoredEvent[]) => list.map((e) => e.uid).sort();
