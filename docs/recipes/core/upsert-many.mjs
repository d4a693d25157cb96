// upsert-many.mjs: a batch through the core: one search per many keys, one import per many entities.
import { Dhis2Client, upsertMany } from 'dhis2-upsert-harness';

const client = new Dhis2Client({
  baseUrl: process.env.DHIS2_BASE_URL,
  auth: { username: process.env.DHIS2_USERNAME, password: process.env.DHIS2_PASSWORD },
});

const person = (nid, firstName, orgUnit = 'DiszpKrYNg8') => ({
  trackedEntityType: 'nEenWmSyUEp',
  orgUnit,
  matchAttribute: 'lZGmxYbs97q',
  attributes: [{ attribute: 'lZGmxYbs97q', value: nid }, { attribute: 'w75KJ2mc4zz', value: firstName }],
});
const records = Array.from({ length: 120 }, (_, i) => person(`NID-3${String(i).padStart(3, '0')}`, `Person ${i}`));
records.push(person('NID-3999', 'Nobody', 'not-an-org-unit')); // fails alone: the others still go in

try {
  const { results, counts, requests } = await upsertMany(client, records, { concurrency: 4, batchSize: 50 });
  console.log(`${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed; ${requests} HTTP requests`);
  for (const item of results) {
    if (!item.ok) console.log(`record ${item.index}: ${item.error.code}: ${item.error.message}`);
  }
} finally {
  await client.close();
}
