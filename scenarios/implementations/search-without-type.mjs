// The OpenFn language-dhis2 2.x `upsertTEI` search as many jobs still call it: the caller's org
// unit with ouMode=DESCENDANTS and the key filter, but no trackedEntityType and no program. DHIS2
// 2.35 and 2.36 answer it; from 2.37 every such search is a 409 "Either Program or Tracked entity
// type should be specified" (TrackedEntityInstanceCriteria validation, spec §2.2), so the job fails
// on every record after the upgrade. Run through `exec:` (record on stdin, exit 0 = success).
import { api, keyOf, readStdin } from './dhis2-http.mjs';

const record = await readStdin();
const ctx = { baseUrl: process.env.DHIS2_BASE_URL, username: process.env.DHIS2_USERNAME, password: process.env.DHIS2_PASSWORD };
const http = api(ctx);
try {
  const q = new URLSearchParams({ ou: record.orgUnit, ouMode: 'DESCENDANTS', filter: `${record.matchAttribute}:EQ:${keyOf(record)}` });
  const found = (await http.get(`trackedEntityInstances?${q}`)).trackedEntityInstances ?? [];
  const body = { trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes };
  if (found.length > 1) throw new Error(`${found.length} tracked entity instances match; refusing to choose`);
  if (found.length === 1) {
    const uid = found[0].trackedEntityInstance;
    await http.put(`trackedEntityInstances/${uid}`, { ...body, trackedEntityInstance: uid });
    console.log(uid);
  } else {
    const res = await http.post('trackedEntityInstances', body);
    console.log(res.response.importSummaries[0].reference);
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
