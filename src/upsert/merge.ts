/**
 * Attribute merge for updates. Both DHIS2 APIs merge on the server: attributes not sent are kept,
 * a blank value deletes one (legacy AbstractTrackedEntityInstanceService, tracker
 * AbstractTrackerPersister; the docs' claim that legacy PUT replaces the list is not what the code
 * does, spec §2.5). So an update sends only the values that change: resending values read earlier
 * would overwrite a concurrent update of an attribute the record does not mention (a lost update).
 * Values are compared after trimming because DHIS2 trims on import; otherwise a padded value would
 * look changed forever and no upsert would ever be 'unchanged'.
 */
import type { AttributeValue } from './record.js';

function same(stored: string | undefined, wanted: string): boolean {
  if (stored === undefined) return wanted.trim() === '';
  return stored === wanted || stored === wanted.trim();
}

export interface MergeResult {
  /** what the update sends */
  attributes: AttributeValue[];
  /** True when sending `attributes` would change at least one stored value. */
  changed: boolean;
}

export function mergeAttributes(existing: readonly AttributeValue[], wanted: readonly AttributeValue[]): MergeResult {
  const stored = new Map<string, string>();
  for (const a of existing) if (!stored.has(a.attribute)) stored.set(a.attribute, a.value);
  const out: AttributeValue[] = [];
  const sent = new Set<string>();
  for (const a of wanted) {
    if (sent.has(a.attribute)) continue;
    sent.add(a.attribute);
    if (same(stored.get(a.attribute), a.value)) continue;
    out.push({ attribute: a.attribute, value: a.value });
  }
  return { attributes: out, changed: out.length > 0 };
}
