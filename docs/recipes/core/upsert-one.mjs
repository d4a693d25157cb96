// upsert-one.mjs: one record through the core, against the DHIS2 in DHIS2_BASE_URL.
import { Dhis2Client, upsertTrackedEntity } from 'dhis2-upsert-harness';

// one client per server and user, reused for every upsert (keep-alive, cached version and metadata)
const client = new Dhis2Client({
  baseUrl: process.env.DHIS2_BASE_URL, // https://dhis2.example.org, or .../dhis behind a context path
  auth: { username: process.env.DHIS2_USERNAME, password: process.env.DHIS2_PASSWORD }, // or { token: 'd2pat_…' }
});

const record = {
  trackedEntityType: 'nEenWmSyUEp',
  orgUnit: 'DiszpKrYNg8',
  matchAttribute: 'lZGmxYbs97q', // the key: its value identifies the patient
  attributes: [
    { attribute: 'lZGmxYbs97q', value: 'NID-2001' },
    { attribute: 'w75KJ2mc4zz', value: 'Kofi' },
  ],
};

try {
  const result = await upsertTrackedEntity(client, record);
  console.log(`${result.action} ${result.uid} in ${result.requests} request(s) through the ${result.api} API`);
} catch (err) {
  // every error has a stable code and says whether the write may have happened (docs/core.md)
  console.error(`${err.code}${err.outcomeUnknown ? ' (may have been written: run again)' : ''}: ${err.message}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
