import type { MetadataIndex } from '../metadata-index.js';
import type { TrackedEntityAttribute, ValueType } from '../types.js';
import { conflictingHolders, type UniquenessQuery } from '../uniqueness.js';
import { checkValue } from '../value-types.js';
import type { Dhis2Version } from '../versions.js';
import type { TrackerBundleInput } from './payload.js';
import { err, type ImportRun, type PayloadUniqueValue, type TrackerError, type TrackerType } from './types.js';

/** `ValidationUtils.valueIsValid` keys, which ≤2.40 reports as E1085 before the E1007 check. */
const VALUE_IS_VALID_KEY: Partial<Record<ValueType, string>> = {
  NUMBER: 'value_not_numeric',
  INTEGER: 'value_not_integer',
  INTEGER_POSITIVE: 'value_not_positive_integer',
  INTEGER_NEGATIVE: 'value_not_negative_integer',
  INTEGER_ZERO_OR_POSITIVE: 'value_not_zero_or_positive_integer',
  PERCENTAGE: 'value_not_percentage',
  UNIT_INTERVAL: 'value_not_unit_interval',
  BOOLEAN: 'value_not_bool',
  TRUE_ONLY: 'value_not_true_only',
  DATE: 'value_not_valid_date',
  AGE: 'value_not_valid_date',
  DATETIME: 'value_not_valid_datetime',
};

/** TrackedAttributeValidationService.validateValueType texts (≤2.40 E1007 `{1}`), by value type. */
const OLD_TYPE_TEXT: Partial<Record<ValueType, string>> = {
  NUMBER: 'is not a valid numeric type',
  BOOLEAN: 'is not a valid boolean type',
  DATE: 'is not a valid date type',
  TRUE_ONLY: 'is not true (true-only type)',
  DATETIME: 'is not a valid datetime',
};

/**
 * The value rules of the tracker attribute validators, in DHIS2's order (AttributeValidationHook
 * ≤2.39, validator/AttributeValidator 2.40+): E1077 length, (≤2.40) E1085 valueIsValid, E1007
 * value type, E1125 option set. The neutral problems of `checkValue` are mapped; a value the legacy
 * importer only rejects at save time ('saveTime') is an ordinary value-type error here.
 */
export function valueRuleErrors(meta: MetadataIndex, version: Dhis2Version, type: TrackerType, uid: string, attr: TrackedEntityAttribute, value: string): TrackerError[] {
  const problem = checkValue(meta, attr, value);
  if (!problem) return [];
  if (problem.kind === 'tooLong') return [err(type, uid, 'E1077', value, String(problem.limit))];
  if (problem.kind === 'option') {
    const set = meta.optionSets.get(problem.optionSet);
    if (version.below('2.41')) {
      // ≤2.40 compares option codes ignoring case (AttributeValidationHook.validateOptionSet)
      if (set?.options.some((o) => o.code.toLowerCase() === value.toLowerCase())) return [];
      return [err(type, uid, 'E1125', value, attr.id, 'TrackedEntityAttribute', (set?.options ?? []).map((o) => o.code).join(','))];
    }
    return [err(type, uid, 'E1125', value, problem.optionSet)];
  }
  const valueType = attr.valueType;
  if (version.atLeast('2.41')) return [err(type, uid, 'E1007', valueType, `Value type is ${valueType} but the value \`${value}\` is not.`)];
  const out: TrackerError[] = [];
  const key = problem.kind === 'valueType' && problem.legacyWord === 'length' ? 'value_length_greater_than_max_length' : VALUE_IS_VALID_KEY[valueType];
  if (key) out.push(err(type, uid, 'E1085', attr.id, key));
  const old = problem.kind === 'valueType' && problem.legacyWord === 'length'
    ? `Value length is greater than 50000 chars for attribute ${attr.id}`
    : OLD_TYPE_TEXT[valueType] && `Value '${value.slice(0, 30)}' ${OLD_TYPE_TEXT[valueType]} for attribute ${attr.id} `;
  if (old) out.push(err(type, uid, 'E1007', valueType, old));
  return out;
}

/**
 * UniqueAttributesSupplier's payload half: unique (attribute, value) pairs sent by two or more
 * different TEs of the payload (their enrollments' values included). Every such TE is a holder,
 * so all of them are flagged (spec §3.4).
 */
export function payloadUniqueValues(meta: MetadataIndex, bundle: TrackerBundleInput): PayloadUniqueValue[] {
  const byKey = new Map<string, Map<string, PayloadUniqueValue>>();
  const orgUnitOf = new Map(bundle.trackedEntities.map((t) => [t.uid, t.orgUnit]));
  const add = (teUid: string | undefined, attribute: string, value: string | null) => {
    if (!teUid || value === null || !meta.attributes.get(attribute)?.unique) return;
    const key = `${attribute}\u0000${value}`;
    let holders = byKey.get(key);
    if (!holders) byKey.set(key, (holders = new Map()));
    holders.set(teUid, { attribute, value, teUid, orgUnit: orgUnitOf.get(teUid) });
  };
  for (const te of bundle.trackedEntities) for (const a of te.attributes) add(te.uid, a.attribute, a.value);
  for (const en of bundle.enrollments) for (const a of en.attributes) add(en.trackedEntity, a.attribute, a.value);
  return [...byKey.values()].filter((h) => h.size > 1).flatMap((h) => [...h.values()]);
}

/**
 * AttributeValidator.validateAttributeUniqueness: another holder (payload duplicate, or a stored
 * entity, soft-deleted ones included) has exactly this value, within the org unit when the
 * attribute has orgunitScope. Returns the query to re-check at commit, or an E1064 error.
 */
export function uniqueness(
  run: ImportRun, type: TrackerType, objectUid: string, teUid: string, orgUnit: string | undefined, attr: TrackedEntityAttribute, value: string,
): { error?: TrackerError; check?: UniquenessQuery } {
  if (!attr.unique || !run.ctx.uniqueness.checks) return {};
  const check: UniquenessQuery = { attribute: attr, value, uid: teUid, orgUnit, flavor: 'tracker' };
  const inPayload = run.payloadUniques.some(
    (p) => p.attribute === attr.id && p.value === value && p.teUid !== teUid && (!attr.orgunitScope || p.orgUnit === orgUnit),
  );
  if (inPayload || conflictingHolders(run.ctx.store, check).length > 0) return { error: err(type, objectUid, 'E1064', value, attr.id) };
  return { check };
}
