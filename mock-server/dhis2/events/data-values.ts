import { dhis2Date } from '../../store/clock.js';
import type { MetadataIndex } from '../metadata-index.js';
import type { DataElement, StoredDataValue } from '../types.js';
import { valueTypeStatus } from '../value-types.js';

/** A data value as a payload sends it; null = blank (deletes the stored value on a merge). */
export interface SentDataValue {
  dataElement: string;
  value: string | null;
  providedElsewhere?: boolean;
}

/** ValidationUtils.VALUE_MAX_LENGTH: data values are text columns of at most 50,000 characters. */
export const DATA_VALUE_MAX_LENGTH = 50_000;

/**
 * `ValidationUtils.dataValueIsValid(value, dataElement)`: the status key of an invalid data value
 * (`value_not_numeric`, `value_not_valid_option`, …) or undefined. Both importers report it: the
 * legacy one as a conflict value, the tracker one inside E1302 (options there are E1125).
 */
export function dataValueStatus(meta: MetadataIndex, de: DataElement, value: string): string | undefined {
  if (value.length > DATA_VALUE_MAX_LENGTH) return 'value_length_greater_than_max_length';
  if (de.optionSet) {
    const set = meta.optionSets.get(de.optionSet);
    return set && !set.options.some((o) => o.code === value) ? 'value_not_valid_option' : undefined;
  }
  return valueTypeStatus(de.valueType, value);
}

/**
 * The event's data values after a write. `merge` (tracker, and legacy with mergeDataValues=true):
 * sent values are added or updated, a blank deletes, values not sent are kept. `replace` (legacy
 * updates by default): the sent values are the event's values; unchanged rows keep their dates.
 */
export function applyDataValues(
  existing: readonly StoredDataValue[],
  sent: readonly SentDataValue[],
  mode: 'merge' | 'replace',
  at: number,
  storedBy: string,
): StoredDataValue[] {
  const now = dhis2Date(at);
  const old = new Map(existing.map((d) => [d.dataElement, d]));
  const out = new Map(mode === 'merge' ? old : []);
  for (const s of sent) {
    const prior = old.get(s.dataElement);
    if (s.value === null) {
      out.delete(s.dataElement);
    } else if (prior && prior.value === s.value) {
      out.set(s.dataElement, prior);
    } else {
      out.set(s.dataElement, {
        dataElement: s.dataElement, value: s.value, created: prior?.created ?? now, lastUpdated: now, storedBy,
        providedElsewhere: s.providedElsewhere ?? prior?.providedElsewhere ?? false,
      });
    }
  }
  return [...out.values()];
}
