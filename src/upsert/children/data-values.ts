/**
 * Data value merge for event updates, the same rule as attributes (merge.ts): only what changes is
 * sent, a blank value deletes. Both APIs keep the values an update does not mention when asked to
 * merge: the tracker importer always (EventPersister.handleDataValues, dhis2-core
 * dhis-service-tracker …/tracker/bundle/persister/EventPersister.java: payload values are upserted
 * into the stored map, blank ones removed, the rest untouched), the legacy one with
 * `mergeDataValues=true` (ImportOptions.mergeDataValues: "Event Data Values that have to be merged
 * with the existing Data Values (as opposed to a full replacement)"). Resending values read earlier
 * would overwrite a concurrent change of a value the record does not mention.
 */
import type { DataValue } from '../record-enrollments.js';

export interface DataValueMerge {
  /** what the update sends */
  dataValues: DataValue[];
  changed: boolean;
}

function same(stored: string | undefined, wanted: string): boolean {
  if (stored === undefined) return wanted.trim() === '';
  return stored === wanted || stored.trim() === wanted.trim();
}

export function mergeDataValues(stored: readonly DataValue[], wanted: readonly DataValue[]): DataValueMerge {
  const have = new Map<string, string>();
  for (const d of stored) if (!have.has(d.dataElement)) have.set(d.dataElement, d.value);
  const out = wanted.filter((d) => !same(have.get(d.dataElement), d.value)).map((d) => ({ dataElement: d.dataElement, value: d.value }));
  return { dataValues: out, changed: out.length > 0 };
}

/**
 * What a tracker update must carry besides the changes: the stage's compulsory values, because its
 * importer checks them against the payload alone when the stage validates on update or the event
 * is completed (DataValuesValidator, E1303). They are sent as read: the one place a value read
 * earlier is resent, limited to what DHIS2 demands.
 */
export function requiredExtras(stored: readonly DataValue[], sent: readonly DataValue[], compulsory: readonly string[]): DataValue[] {
  const inPayload = new Set(sent.map((d) => d.dataElement));
  const have = new Map(stored.map((d) => [d.dataElement, d.value]));
  return compulsory.filter((de) => !inPayload.has(de) && have.has(de)).map((de) => ({ dataElement: de, value: have.get(de)! }));
}

/** Same day, or the same instant for date-times: "2026-01-20" equals a stored "2026-01-20T00:00:00.000". */
export function sameDate(stored: string | undefined, wanted: string): boolean {
  if (stored === undefined) return false;
  if (wanted.length === 10) return stored.slice(0, 10) === wanted;
  const a = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(stored) ? stored : `${stored}Z`);
  const b = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(wanted) ? wanted : `${wanted}Z`);
  return a === b || stored.slice(0, 19) === wanted.slice(0, 19);
}
