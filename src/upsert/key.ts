/**
 * The key an upsert matches on, and which search hits count as "the same key". Comparison is
 * client-side because DHIS2's EQ filter is case-insensitive while the key is not (and the LIKE
 * fallback of filter.ts returns supersets).
 */
import { deterministicUid, normalizedKeyValue } from '../uid.js';
import { type AttributeMeta, sameKeyValue } from './attribute-meta.js';
import type { ApiKind, FoundEntity } from './api/types.js';
import type { UpsertRecord } from './record.js';

export interface UpsertKey {
  trackedEntityType: string;
  attribute: string;
  value: string;
  /** Set when the key attribute's uniqueness is scoped to the registration org unit. */
  orgUnit?: string;
  /** The key attribute's value type (numbers normalise numerically); TEXT when absent. */
  valueType?: string;
}

export function keyOf(rec: UpsertRecord, meta: AttributeMeta): UpsertKey {
  const value = rec.attributes.find((a) => a.attribute === rec.matchAttribute)!.value;
  return {
    trackedEntityType: rec.trackedEntityType,
    attribute: rec.matchAttribute,
    value,
    orgUnit: meta.orgunitScope ? rec.orgUnit : undefined,
    valueType: meta.valueType,
  };
}

/**
 * Identity of a key inside one server, for single-flight and for merging duplicate inputs: the
 * normalised value, so spellings the server treats as one key (case, padding) are one key here too.
 */
export function keyId(origin: string, k: UpsertKey): string {
  return JSON.stringify([origin, k.trackedEntityType, k.attribute, normalizedKeyValue(k.value, k.valueType), k.orgUnit ?? null]);
}

/**
 * The UID a new entity for this key gets, derived from the normalised key value (key derivation
 * v2: `sl-000123` and ` SL-000123` are one patient, so they must get one UID, or two job runs that
 * spell the key differently create two entities). Generation 0 of a globally scoped text key is
 * exactly `keyUid(record)`; org-unit scope and later generations (after the previous UID was
 * soft-deleted and can never be reused) append tagged parts, keeping every create idempotent.
 */
export function createUidFor(k: UpsertKey, generation = 0): string {
  const parts = [k.trackedEntityType, k.attribute, normalizedKeyValue(k.value, k.valueType)];
  if (k.orgUnit) parts.push('@orgUnit', k.orgUnit);
  if (generation > 0) parts.push('@generation', String(generation));
  return deterministicUid('tei', ...parts);
}

/**
 * Hits that carry the key: every spelling of it counts (case, padding; numerically equal numbers),
 * on both APIs. The legacy server would reject a case-variant create as non-unique anyway
 * (case-insensitive uniqueness, spec §2.7), and on the tracker API (case-sensitive) creating
 * `sl-000123` next to `SL-000123` is the duplicate patient this library exists to prevent; so two
 * entities holding two spellings of one key are two matches, and the upsert refuses to choose.
 */
export function selectMatches(found: readonly FoundEntity[], k: UpsertKey, meta: AttributeMeta, _api?: ApiKind): FoundEntity[] {
  const inScope = found.filter(
    (e) =>
      (e.trackedEntityType === undefined || e.trackedEntityType === k.trackedEntityType) &&
      (k.orgUnit === undefined || e.orgUnit === undefined || e.orgUnit === k.orgUnit),
  );
  const valueOf = (e: FoundEntity) => e.attributes.find((a) => a.attribute === k.attribute)?.value;
  return dedupe(
    inScope.filter((e) => {
      const v = valueOf(e);
      return v !== undefined && sameKeyValue(meta, v, k.value);
    }),
  );
}

function dedupe(list: FoundEntity[]): FoundEntity[] {
  const seen = new Set<string>();
  return list.filter((e) => (seen.has(e.uid) ? false : (seen.add(e.uid), true)));
}
