/**
 * Shared plumbing of the reference upserts. Deliberately thin: no retries, no re-search, no
 * deterministic UIDs. Each reference must fail the way the tool it imitates fails, not better.
 */
import type { Dhis2Client } from '../client/dhis2-client.js';
import { parseLegacyImport, parseTrackerImport } from '../client/responses.js';
import { AmbiguousMatchError, HarnessError, InvalidRecordError } from '../errors.js';
import type { AttributeValue, UpsertRecord } from '../upsert/record.js';

export interface ReferenceResult {
  uid: string;
  action: 'created' | 'updated';
}

export interface LegacyHit {
  uid: string;
  orgUnit?: string;
  attributes: AttributeValue[];
}

type Obj = Record<string, unknown>;

export function keyValueOf(record: UpsertRecord): string {
  const hit = record.attributes.find((a) => a.attribute === record.matchAttribute);
  if (!hit) throw new InvalidRecordError(`The record has no value for its matchAttribute ${record.matchAttribute}.`);
  return String(hit.value);
}

/** Several entities carry the key: the references refuse, as the core does (nothing written). */
export function refuseAmbiguous(hits: readonly { uid: string }[], record: UpsertRecord): void {
  if (hits.length > 1) throw new AmbiguousMatchError({ uids: hits.map((h) => h.uid), attribute: record.matchAttribute, value: keyValueOf(record) });
}

function attrs(list: unknown): AttributeValue[] {
  return Array.isArray(list)
    ? list.filter((a): a is Obj => !!a && typeof a === 'object').map((a) => ({ attribute: String(a.attribute), value: String(a.value) }))
    : [];
}

export async function legacySearch(client: Dhis2Client, query: Record<string, string>, signal?: AbortSignal): Promise<LegacyHit[]> {
  const res = await client.get<Obj>('trackedEntityInstances', query, { signal });
  const list = Array.isArray(res.body?.trackedEntityInstances) ? (res.body.trackedEntityInstances as Obj[]) : [];
  return list.map((t) => ({ uid: String(t.trackedEntityInstance), orgUnit: t.orgUnit as string | undefined, attributes: attrs(t.attributes) }));
}

export async function trackerSearch(client: Dhis2Client, record: UpsertRecord, signal?: AbortSignal): Promise<LegacyHit[]> {
  const v = await client.detectVersion(signal);
  const modern = v.minor >= 41;
  const res = await client.get<Obj>(
    'tracker/trackedEntities',
    {
      [modern ? 'orgUnitMode' : 'ouMode']: 'ACCESSIBLE',
      trackedEntityType: record.trackedEntityType,
      filter: `${record.matchAttribute}:EQ:${keyValueOf(record)}`,
    },
    { signal },
  );
  const list = (res.body?.trackedEntities ?? res.body?.instances) as Obj[] | undefined;
  return (list ?? []).map((t) => ({ uid: String(t.trackedEntity), orgUnit: t.orgUnit as string | undefined, attributes: attrs(t.attributes) }));
}

/** POST one TEI to the legacy API and read the UID the server used from the summary. */
export async function legacyPost(client: Dhis2Client, dto: Obj, signal?: AbortSignal): Promise<string> {
  const res = await client.post('trackedEntityInstances', dto, undefined, { signal });
  const ref = parseLegacyImport(res.body).summaries[0]?.reference;
  if (!ref) throw new HarnessError(`POST /api/trackedEntityInstances returned no reference: ${JSON.stringify(res.body).slice(0, 200)}`);
  return ref;
}

/** POST one TE to /api/tracker (sync) and read the UID from the bundle report. */
export async function trackerPost(client: Dhis2Client, te: Obj, importStrategy: string, signal?: AbortSignal): Promise<string> {
  const res = await client.post('tracker', { trackedEntities: [te] }, { async: false, importStrategy }, { signal });
  const r = parseTrackerImport(res.body);
  const uid = r.kind === 'report' ? r.persistedUids[0] : undefined;
  if (!uid) throw new HarnessError(`POST /api/tracker reported no persisted tracked entity: ${JSON.stringify(res.body).slice(0, 200)}`);
  return uid;
}

export function legacyDto(record: UpsertRecord, attributes: AttributeValue[] = record.attributes): Obj {
  return { trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes };
}
