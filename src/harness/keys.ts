/**
 * From workload specs to concrete keys and records against the built-in demo fixture. Key values
 * are prefixes of one another (`NID-1`, `NID-10`, `NID-100`), so a LIKE search where EQ was meant
 * finds the wrong patient; each key has spellings that mean the same patient (case, padding), so a
 * case-sensitive comparison or a derived UID of the raw value makes a second one.
 */
import { DEMO_IDS } from '../../mock-server/index.js';
import { createUidFor } from '../upsert/key.js';
import { enrollmentsOf } from './jobs/catalog.js';
export { sameKey } from './checker/key-view.js';
import type { HarnessRecord, KeyKind, OpSpec, OrgUnitSlot, PreexistingSpec, Workload } from './types.js';

const ORG_UNITS: Record<OrgUnitSlot, string> = {
  home: DEMO_IDS.orgUnits.ngelehun,
  sibling: DEMO_IDS.orgUnits.njandama,
  elsewhere: DEMO_IDS.orgUnits.kamaranka,
};

export function orgUnitOf(slot: OrgUnitSlot): string {
  return ORG_UNITS[slot];
}

const KEY_ATTRIBUTES: Record<KeyKind, string> = {
  unique: DEMO_IDS.attributes.nationalId,
  'non-unique': DEMO_IDS.attributes.phone,
  scoped: DEMO_IDS.attributes.facilityRegNo,
};

export function keyAttributeOf(kind: KeyKind): string {
  return KEY_ATTRIBUTES[kind];
}

/** Whether DHIS2 scopes the key's uniqueness to the registration org unit (one value, several patients). */
export function scopedKey(kind: KeyKind): boolean {
  return kind === 'scoped';
}

/** The canonical value of key number `key`; `salt` keeps runs apart on a shared server. */
export function keyValueOf(kind: KeyKind, key: number, salt = ''): string {
  const tail = `1${'0'.repeat(key)}`;
  if (kind === 'non-unique') return `+2327600${salt}${tail}`;
  return `${kind === 'scoped' ? 'REG' : 'NID'}-${salt}${tail}`;
}

/**
 * Spellings of one key that the field treats as the same patient: text keys differ in case
 * (DHIS2's legacy uniqueness and EQ filters ignore case; the tracker's uniqueness does not), phone
 * numbers in surrounding blanks (DHIS2 trims stored values, not search filters).
 */
export function keySpelling(kind: KeyKind, canonical: string, variant = 0): string {
  if (variant === 0) return canonical;
  if (kind === 'non-unique') return variant === 1 ? ` ${canonical}` : `${canonical} `;
  if (variant === 1) return canonical.toLowerCase();
  return canonical.charAt(0) + canonical.slice(1).toLowerCase();
}

/** Which patient a spec means: the key number, and for org-unit-scoped keys the facility too. */
export function identityOf(kind: KeyKind, spec: { key: number; orgUnit: OrgUnitSlot }): string {
  return scopedKey(kind) ? `${spec.key}@${spec.orgUnit}` : String(spec.key);
}

/** The org unit that scopes a key identity (scoped keys only). */
export function scopeOf(kind: KeyKind, spec: { orgUnit: OrgUnitSlot }): string | undefined {
  return scopedKey(kind) ? orgUnitOf(spec.orgUnit) : undefined;
}

function attributesOf(kind: KeyKind, spec: { key: number; variant?: number; firstName?: string; lastName?: string }, salt: string) {
  const attrs = [{ attribute: keyAttributeOf(kind), value: keySpelling(kind, keyValueOf(kind, spec.key, salt), spec.variant) }];
  if (spec.firstName !== undefined) attrs.push({ attribute: DEMO_IDS.attributes.firstName, value: spec.firstName });
  if (spec.lastName !== undefined) attrs.push({ attribute: DEMO_IDS.attributes.lastName, value: spec.lastName });
  return attrs;
}

export function recordOf(workload: Workload, op: OpSpec, salt = ''): HarnessRecord {
  return {
    trackedEntityType: DEMO_IDS.trackedEntityType,
    orgUnit: orgUnitOf(op.orgUnit),
    matchAttribute: keyAttributeOf(workload.keyKind),
    attributes: attributesOf(workload.keyKind, op, salt),
    ...(op.enrollment ? { enrollments: enrollmentsOf(op.enrollment, orgUnitOf(op.orgUnit)) } : {}),
  };
}

/** The attributes a pre-existing entity carries, as DHIS2 stores them (trimmed on import). */
export function preexistingAttributes(workload: Workload, spec: PreexistingSpec, salt = '') {
  return attributesOf(workload.keyKind, spec, salt).map((a) => ({ ...a, value: a.value.trim() }));
}

/** The UID the robust core derives for a pre-existing entity's key (`derivedUid` specs hold it). */
export function derivedUidOf(workload: Workload, spec: PreexistingSpec, salt = ''): string {
  return createUidFor({
    trackedEntityType: DEMO_IDS.trackedEntityType,
    attribute: keyAttributeOf(workload.keyKind),
    value: keySpelling(workload.keyKind, keyValueOf(workload.keyKind, spec.key, salt), spec.variant),
    orgUnit: scopeOf(workload.keyKind, spec),
  });
}
