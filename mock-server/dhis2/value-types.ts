import type { MetadataIndex } from './metadata-index.js';
import type { TrackedEntityAttribute, ValueType } from './types.js';

/**
 * Attribute value checks shared by both importers. They return a neutral problem; each API renders
 * it in its own words (legacy conflict texts, tracker E-codes). Source: DefaultTrackedEntityAttributeService
 * (validateValueType) and tracker/imports/validation/validator/AttributeValidator.
 */
export type ValueProblem =
  | { kind: 'tooLong'; limit: 1200 }
  | { kind: 'valueType'; legacyWord: string; valueType: string }
  | { kind: 'option'; optionSet: string }
  /** types checked only at save time in the legacy importer: the whole request fails (spec §2.4 step 8) */
  | { kind: 'saveTime'; message: string };

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/**
 * `ValidationUtils.valueIsValid`'s verdict on a value of `valueType`, as its status key
 * (`value_not_numeric`, …), or undefined when valid or when the type has no rule. Data values of
 * events are reported with these keys (legacy conflict values, tracker E1302).
 */
export function valueTypeStatus(valueType: ValueType, value: string): string | undefined {
  switch (valueType) {
    case 'NUMBER': return NUMERIC.test(value) ? undefined : 'value_not_numeric';
    case 'INTEGER':
    case 'INTEGER_POSITIVE':
    case 'INTEGER_NEGATIVE':
    case 'INTEGER_ZERO_OR_POSITIVE':
      if (INTEGER.test(value) && integerSignOk(valueType, Number(value))) return undefined;
      return valueType === 'INTEGER' ? 'value_not_integer' : `value_not_${valueType.slice('INTEGER_'.length).toLowerCase()}_integer`;
    case 'PERCENTAGE': return NUMERIC.test(value) && +value >= 0 && +value <= 100 ? undefined : 'value_not_percentage';
    case 'UNIT_INTERVAL': return NUMERIC.test(value) && +value >= 0 && +value <= 1 ? undefined : 'value_not_unit_interval';
    case 'BOOLEAN': return /^(true|false)$/i.test(value) ? undefined : 'value_not_bool';
    case 'TRUE_ONLY': return value.toLowerCase() === 'true' ? undefined : 'value_not_true_only';
    case 'DATE':
    case 'AGE': return validDate(value) ? undefined : 'value_not_valid_date';
    case 'DATETIME': return DATETIME.test(value) ? undefined : 'value_not_valid_datetime';
    default: return undefined;
  }
}

export function checkValue(meta: MetadataIndex, attr: Pick<TrackedEntityAttribute, 'valueType' | 'optionSet'>, value: string): ValueProblem | undefined {
  if (value.length > 1200) return { kind: 'tooLong', limit: 1200 };
  if (attr.optionSet) {
    const set = meta.optionSets.get(attr.optionSet);
    if (set && !set.options.some((o) => o.code === value)) return { kind: 'option', optionSet: attr.optionSet };
    return undefined;
  }
  switch (attr.valueType) {
    case 'NUMBER':
      return NUMERIC.test(value) ? undefined : { kind: 'valueType', legacyWord: 'numeric type', valueType: attr.valueType };
    case 'BOOLEAN':
      return /^(true|false)$/i.test(value) ? undefined : { kind: 'valueType', legacyWord: 'boolean type', valueType: attr.valueType };
    case 'TRUE_ONLY':
      return value.toLowerCase() === 'true' ? undefined : { kind: 'valueType', legacyWord: 'true (true-only type)', valueType: attr.valueType };
    case 'DATETIME':
      return DATETIME.test(value) ? undefined : { kind: 'valueType', legacyWord: 'valid datetime', valueType: attr.valueType };
    case 'DATE':
    case 'AGE':
      return validDate(value) ? undefined : { kind: 'saveTime', message: `Invalid date format: ${value}` };
    case 'INTEGER':
    case 'INTEGER_POSITIVE':
    case 'INTEGER_NEGATIVE':
    case 'INTEGER_ZERO_OR_POSITIVE': {
      const ok = INTEGER.test(value) && integerSignOk(attr.valueType, Number(value));
      return ok ? undefined : { kind: 'saveTime', message: `Value is not valid:  value_not_${attr.valueType.toLowerCase()}` };
    }
    case 'PERCENTAGE':
      return NUMERIC.test(value) && +value >= 0 && +value <= 100 ? undefined : { kind: 'saveTime', message: 'Value is not valid:  value_not_percentage' };
    case 'UNIT_INTERVAL':
      return NUMERIC.test(value) && +value >= 0 && +value <= 1 ? undefined : { kind: 'saveTime', message: 'Value is not valid:  value_not_unit_interval' };
    default:
      return value.length > 50000 ? { kind: 'valueType', legacyWord: 'length', valueType: attr.valueType } : undefined;
  }
}

function integerSignOk(type: string, n: number): boolean {
  if (type === 'INTEGER_POSITIVE') return n > 0;
  if (type === 'INTEGER_NEGATIVE') return n < 0;
  if (type === 'INTEGER_ZERO_OR_POSITIVE') return n >= 0;
  return true;
}
