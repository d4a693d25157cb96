// Search-then-create that re-checks the key in code with `===` after DHIS2's search, a common
// "safety" step. DHIS2's EQ filter and the legacy uniqueness check are case-insensitive
// (lower(value), spec §2.2, §2.7), the tracker's uniqueness check is exact (spec §3.4): when the
// stored value differs in case ("SL-000123" vs "sl-000123"), the job discards the match, POSTs a
// new entity and the legacy API rejects it as non-unique, on every run. Loaded through `module:`.
import { api, keyOf } from './dhis2-http.mjs';

export default async function exactMatchSearchThenCreate(record, ctx) {
  const http = api(ctx);
  const key = keyOf(record);
  const q = new URLSearchParams({ ouMode: 'ACCESSIBLE', trackedEntityType: record.trackedEntityType, filter: `${record.matchAttribute}:EQ:${key}` });
  const hits = ((await http.get(`trackedEntityInstances?${q}`)).trackedEntityInstances ?? []).filter((t) =>
    t.attributes.some((a) => a.attribute === record.matchAttribute && a.value === key),
  );
  const body = { trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes };
  if (hits.length > 1) throw new Error(`${hits.length} entities match; refusing to choose`);
  if (hits.length === 1) {
    const uid = hits[0].trackedEntityInstance;
    await http.put(`trackedEntityInstances/${uid}`, { ...body, trackedEntityInstance: uid });
    return { uid };
  }
  const res = await http.post('trackedEntityInstances', body);
  return { uid: res.response.importSummaries[0].reference };
}
