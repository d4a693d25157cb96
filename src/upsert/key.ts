/**
 * The key an upsert matches on, and which search hits count as "the same key". Comparison is
 * client-side because DHIS2's EQ filter is case-insensitive while the key is not (and the LIKE
 * fallback of filter.ts returns supersets).
 */
import { deterministicUid } from '../uid.js';
import { type AttributeMeta, sameKeyValue } from './attribute-meta.js';
import type { ApiKind, FoundEntity } from './api/types.js';
import type { UpsertRecord } from './record.js';

export interface UpsertKey {
  trackedEntityType: string;
  attribute: string;
  value: string;
  /** Set when the key attribute's uniqueness is scoped to the registration org unit. */
  orgUnit?: string;
}

export function keyOf(rec: UpsertRecord, meta: AttributeMeta): UpsertKey {
  const value = rec.attributes.find((a) => a.attribute === rec.matchAttribute)!.value;
  return {
    trackedEntityType: rec.trackedEntityType,
    attribute: rec.matchAttribute,
    value,
    orgUnit: meta.orgunitScope ? rec.orgUnit : undefined,
  };
}

/** Identity of a key inside one server, for single-flight and for merging duplicate inputs. */
export function keyId(origin: string, k: UpsertKey): string {
  return JSON.stringify([origin, k.trackedEntityType, k.attribute, k.value, k.orgUnit ?? null]);
}

/**
 * The UID a new entity for this key gets. Generation 0 of a globally scoped key is exactly
 * `keyUid(record)`; org-unit scope and later generations (after the previous UID was soft-deleted
 * and can never be reused) append tagged parts, keeping every create idempotent.
 */
export function createUidFor(k: UpsertKey, generation = 0): string {
  const parts = [k.trackedEntityType, k.attribute, k.value];
  if (k.orgUnit) parts.push('@orgUnit', k.orgUnit);
  if (generation > 0) parts.push('@generation', String(generation));
  return deterministicUid('tei', ...parts);
}

/**
 * Hits that carry the key. Exact (or numerically equal) values win; failing those, a case-variant
 * counts too, on both APIs: the legacy server would reject the create as non-unique anyway
 * (case-insensitive uniqueness, spec §2.7), and on the tracker API (case-sensitive) creating
 * `sl-000123` next to `SL-000123` is the duplicate patient this library exists to prevent; the
 * harness's checker and the emulator's invariants compare keys case-insensitively for that reason.
 */
export function selectMatches(found: readonly FoundEntity[], k: UpsertKey, meta: AttributeMeta, _api?: ApiKind): FoundEntity[] {
  const inScope = found.filter(
    (e) =>
      (e.trackedEntityType === undefined || e.trackedEntityType === k.trackedEntityType) &&
      (k.orgUnit === undefined || e.orgUnit === undefined || e.orgUnit === k.orgUnit),
  );
  const valueOf = (e: FoundEntity) => e.attributes.find((a) => a.attribute === k.attribute)?.value;
  const exact = inScope.filter((e) => {
    const v = valueOf(e);
    return v !== undefined && sameKeyValue(meta, v, k.value);
  });
  if (exact.length > 0) return dedupe(exact);
  const wanted = k.value.trim().toLowerCase();
  return dedupe(inScope.filter((e) => valueOf(e)?.trim().toLowerCase() === wanted));
}

function dedupe(list: FoundEntity[]): FoundEntity[] {
  const seen = new Set<string>();
  return list.filter((e) => (seen.has(e.uid) ? false : (seen.add(e.uid), true)));
}
