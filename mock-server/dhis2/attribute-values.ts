import { dhis2Date } from '../store/clock.js';
import type { StoredAttributeValue } from './types.js';

export interface SentAttribute {
  attribute: string;
  /** null = blank: deletes the stored value on update */
  value: string | null;
}

/**
 * Both importers merge: sent attributes are added or updated, a blank value deletes, attributes
 * not sent are kept (legacy AbstractTrackedEntityInstanceService.updateAttributeValues, tracker
 * AbstractTrackerPersister.handleTrackedEntityAttributeValues). `deleteMissing` is the legacy PUT
 * `?program=` exception: that program's attributes absent from the payload are removed.
 */
export function mergeAttributes(
  existing: readonly StoredAttributeValue[],
  sent: readonly SentAttribute[],
  at: number,
  storedBy: string,
  deleteMissing?: ReadonlySet<string>,
): StoredAttributeValue[] {
  const now = dhis2Date(at);
  const byId = new Map(existing.map((a) => [a.attribute, a]));
  const sentIds = new Set<string>();
  for (const s of sent) {
    sentIds.add(s.attribute);
    const old = byId.get(s.attribute);
    if (s.value === null) {
      byId.delete(s.attribute);
    } else if (!old) {
      byId.set(s.attribute, { attribute: s.attribute, value: s.value, created: now, lastUpdated: now, storedBy });
    } else if (old.value !== s.value) {
      byId.set(s.attribute, { ...old, value: s.value, lastUpdated: now, storedBy });
    }
  }
  if (deleteMissing) for (const id of deleteMissing) if (!sentIds.has(id)) byId.delete(id);
  return [...byId.values()];
}

/** Legacy trims values and turns blanks into null (spec §2.4 create step 2); tracker: empty = null. */
export function normaliseValue(value: unknown, trim: boolean): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  if (text === null) return null;
  const v = trim ? text.trim() : text;
  return v === '' ? null : v;
}
