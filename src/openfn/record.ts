/**
 * The harness record in the shapes an OpenFn job sends (interfaces.md "The record an upsert
 * receives"), so a job needs no mapping code of its own.
 */
import type { HarnessRecord } from '../harness/types.js';
import { keyUid, keyValue } from '../uid.js';

export { keyUid, keyValue };

/** The legacy API's body: `{ trackedEntityType, orgUnit, attributes }` (no UID, as adaptor 8.x sends it). */
export function teiOf(record: HarnessRecord): { trackedEntityType: string; orgUnit: string; attributes: { attribute: string; value: string }[] } {
  return { trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes.map((a) => ({ ...a })) };
}

/** The tracker API's tracked entity; with `uid`, a client-chosen UID (e.g. {@link keyUid}) makes repeats idempotent. */
export function trackedEntityOf(record: HarnessRecord, uid?: string): { trackedEntity?: string; trackedEntityType: string; orgUnit: string; attributes: { attribute: string; value: string }[] } {
  return { ...(uid ? { trackedEntity: uid } : {}), ...teiOf(record) };
}

/** Org unit modes that search everywhere the user may: DHIS2 2.41+ refuses them together with `ou` (409). */
const WIDE_MODES = new Set(['ACCESSIBLE', 'CAPTURE', 'ALL']);

/**
 * The search adaptor 8.x's `upsert('trackedEntityInstances', query, tei)` sends:
 * `ou`, `trackedEntityType`, `filter=ATTR:EQ:VALUE` (real-clients.md). `ouMode` stays DHIS2's
 * default (SELECTED) unless given: that is the adaptor's blind spot for entities registered
 * elsewhere. With a wide mode (ACCESSIBLE, CAPTURE, ALL) `ou` is left out, as 2.41 demands
 * ("ouMode ACCESSIBLE cannot be used with orgUnits").
 */
export function searchQueryOf(record: HarnessRecord, extra: { ouMode?: 'SELECTED' | 'CHILDREN' | 'DESCENDANTS' | 'ACCESSIBLE' | 'CAPTURE' | 'ALL' } = {}): { ou?: string; trackedEntityType: string; filter: string[]; ouMode?: string } {
  const wide = extra.ouMode !== undefined && WIDE_MODES.has(extra.ouMode);
  return { ...(wide ? {} : { ou: record.orgUnit }), trackedEntityType: record.trackedEntityType, filter: [`${record.matchAttribute}:EQ:${keyValue(record)}`], ...extra };
}
