/**
 * Attribute merge for updates. The update sends every attribute the entity already has plus the
 * record's, so even a server that replaced the attribute list (what the DHIS2 docs claim for
 * legacy PUT) would drop nothing. Values are compared after trimming because DHIS2 trims on import;
 * otherwise a padded value would look changed forever and no upsert would ever be 'unchanged'.
 */
import type { AttributeValue } from './record.js';

function same(stored: string | undefined, wanted: string): boolean {
  if (stored === undefined) return wanted.trim() === '';
  return stored === wanted || stored === wanted.trim();
}

export interface MergeResult {
  attributes: AttributeValue[];
  /** True when sending `attributes` would change at least one stored value. */
  changed: boolean;
}

/**
 * A blank wanted value deletes that attribute on the server (both APIs), so it is passed through
 * for attributes that exist and dropped for ones that do not.
 */
export function mergeAttributes(existing: readonly AttributeValue[], wanted: readonly AttributeValue[]): MergeResult {
  const want = new Map(wanted.map((a) => [a.attribute, a.value]));
  const seen = new Set<string>();
  const out: AttributeValue[] = [];
  let changed = false;
  for (const a of existing) {
    if (seen.has(a.attribute)) continue;
    seen.add(a.attribute);
    const w = want.get(a.attribute);
    if (w === undefined) {
      out.push({ attribute: a.attribute, value: a.value });
    } else {
      if (!same(a.value, w)) changed = true;
      out.push({ attribute: a.attribute, value: w });
    }
  }
  for (const a of wanted) {
    if (seen.has(a.attribute)) continue;
    seen.add(a.attribute);
    if (a.value.trim() === '') continue;
    changed = true;
    out.push({ attribute: a.attribute, value: a.value });
  }
  return { attributes: out, changed };
}
