import type { EntityStore } from '../store/entity-store.js';
import type { MetadataIndex } from './metadata-index.js';

export interface DuplicateGroup {
  attribute: string;
  value: string;
  /** 'global', or the org unit UID for an orgunitScope attribute */
  scope: string;
  uids: string[];
}

export interface InvariantReport {
  ok: boolean;
  liveEntities: number;
  duplicates: DuplicateGroup[];
  /** soft-deleted entities that share a value with a live one (they block tracker imports) */
  softDeleted: DuplicateGroup[];
}

/**
 * Duplicates among live entities: per unique attribute within its scope, and per any attribute the
 * caller names (a non-unique key attribute). Values compare case-insensitively, as the legacy
 * uniqueness check and most integrators' searches do.
 */
export function checkInvariants(meta: MetadataIndex, store: EntityStore, extraAttributes: string[] = []): InvariantReport {
  const watched = new Map<string, boolean>();
  for (const a of meta.attributes.values()) if (a.unique) watched.set(a.id, a.orgunitScope);
  for (const id of extraAttributes) if (!watched.has(id)) watched.set(id, meta.attributes.get(id)?.orgunitScope ?? false);
  const live = new Map<string, { value: string; uids: string[] }>();
  const deleted = new Map<string, string[]>();
  let liveEntities = 0;
  for (const e of store.all()) {
    if (!e.deleted) liveEntities++;
    for (const a of e.attributes) {
      const scoped = watched.get(a.attribute);
      if (scoped === undefined) continue;
      const key = `${a.attribute}\u0000${scoped ? e.orgUnit : 'global'}\u0000${a.value.toLowerCase()}`;
      if (e.deleted) {
        deleted.set(key, [...(deleted.get(key) ?? []), e.uid]);
        continue;
      }
      const group = live.get(key) ?? { value: a.value, uids: [] };
      group.uids.push(e.uid);
      live.set(key, group);
    }
  }
  const duplicates: DuplicateGroup[] = [];
  const softDeleted: DuplicateGroup[] = [];
  for (const [key, group] of live) {
    const [attribute, scope] = key.split('\u0000');
    if (group.uids.length > 1) duplicates.push({ attribute, value: group.value, scope, uids: group.uids.sort() });
    const dead = deleted.get(key);
    if (dead) softDeleted.push({ attribute, value: group.value, scope, uids: dead.sort() });
  }
  return { ok: duplicates.length === 0, liveEntities, duplicates, softDeleted };
}
