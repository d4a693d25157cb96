// The emulator under test with N synthetic entities: `node emulator.js COUNT [uniqueness] [latencyMedianMs]`;
// with a latency, every request waits a lognormal delay first (median as given, sigma 0.5, at most
// 10× the median): a DHIS2 behind a WAN, where a request costs tens of milliseconds.
// Its own HTTP server around the emulator's app, counting requests (GET /__bench/requests answers
// the count and is not counted), so the upsert bench can report HTTP requests per record.
import '../lib/cpu-report.js';
import { createServer } from 'node:http';
import { createMockDhis2 } from '../../dist/mock-server/index.js';
import { storedEntities } from '../lib/entities.js';

const count = Number(process.argv[2] ?? 0);
const uniqueness = process.argv[3] ?? 'atomic';
const latencyMs = Number(process.argv[4] ?? 0);
const mock = await createMockDhis2({ uniqueness, seed: 1, log: (m) => process.stderr.write(`${m}\n`) });
if (latencyMs > 0) {
  mock.admin.faults.install({ seed: 1, rules: [{ kind: 'latency', label: 'WAN', delay: { dist: 'lognormal', medianMs: latencyMs, sigma: 0.5, maxMs: latencyMs * 10 } }] });
}
const batch = [];
for (const e of storedEntities(count)) {
  batch.push(e);
  if (batch.length === 1000) mock.store.load(batch.splice(0));
}
mock.store.load(batch.splice(0));
let requests = 0;
const server = createServer((req, res) => {
  if (req.url === '/__bench/requests') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ requests }));
  }
  requests++;
  mock.app(req, res);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
