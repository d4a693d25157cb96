// Upsert throughput, in its own process against an emulator child: `upsertMany` versus the classic
// search-then-create reference and the robust single upsert over the same records.
// Input: { url, impl: 'upsertMany' | 'reference' | 'robust', records, concurrency };
// output: one JSON line (records/s, HTTP requests per record counted by the server, outcomes).
import { BENCH_IDS, nationalId } from '../lib/entities.js';

const { url, impl, records: n, concurrency = 4, batchSize, dist = '../../dist' } = JSON.parse(process.argv[2]);
const auth = { username: 'admin', password: 'district' };

/** The i-th record: key NID-i (the server holds NID-0 … NID-(preloaded-1)), a new phone number. */
function record(i) {
  return {
    trackedEntityType: BENCH_IDS.type,
    orgUnit: BENCH_IDS.orgUnits[i % BENCH_IDS.orgUnits.length],
    matchAttribute: BENCH_IDS.nationalId,
    attributes: [
      { attribute: BENCH_IDS.nationalId, value: nationalId(i) },
      { attribute: BENCH_IDS.firstName, value: 'Upsert' },
      { attribute: BENCH_IDS.phone, value: `+2329${String(i).padStart(7, '0')}` },
    ],
  };
}

// modules load before the clock starts: records/s measures the upserts, not Node's start-up
const { upsertMany, closeCachedClients, implementations } = await import(`${dist}/src/upsert/index.js`);
const { Dhis2Client } = await import(`${dist}/src/client/index.js`);
const { references } = await import(`${dist}/src/reference/index.js`);

const serverRequests = async () => (await (await fetch(`${url}/__bench/requests`)).json()).requests;
const records = Array.from({ length: n }, (_, i) => record(i));
const before = await serverRequests();
const started = performance.now();
let ok = 0;
let failed = 0;
let firstError;
if (impl === 'upsertMany') {
  const client = new Dhis2Client({ baseUrl: url, auth });
  const result = await upsertMany(client, records, { concurrency, ...(batchSize ? { batchSize } : {}) });
  for (const r of result.results) {
    if (r.ok) ok++;
    else {
      failed++;
      firstError ??= r.error?.message;
    }
  }
  await client.close();
} else {
  // one record at a time per lane: the search-then-create reference, or the robust single upsert
  const one = impl === 'robust' ? implementations.robust : references.naiveSearchThenCreate;
  const ctx = { baseUrl: url, ...auth };
  let next = 0;
  // the same parallelism upsertMany gets: `concurrency` records in flight
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < records.length) {
      const r = records[next++];
      try {
        await one(r, ctx);
        ok++;
      } catch (e) {
        failed++;
        firstError ??= e.message;
      }
    }
  }));
  await closeCachedClients();
}
const seconds = (performance.now() - started) / 1000;
const requests = (await serverRequests()) - before;
const invariants = await (await fetch(`${url}/__admin/invariants`)).json();
process.stdout.write(`${JSON.stringify({
  impl, records: n, concurrency, seconds, recordsPerSecond: n / seconds, requests, requestsPerRecord: requests / n,
  ok, failed, firstError, duplicates: invariants.duplicates?.length ?? null,
})}\n`);
