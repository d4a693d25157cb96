// The load generator, in its own process: autocannon against one URL with warm-ups, then one
// measured run. Input: one JSON argument; output: one JSON line on stdout.
//   { url, paths | read: { kind, size } | create: { tag, path }, headers, connections, duration, warmups, warmupDuration }
import autocannon from 'autocannon';
import { createBody } from '../lib/entities.js';
import { readPaths } from '../lib/paths.js';

const spec = JSON.parse(process.argv[2]);
let counter = 0;
let run = 0;

function request() {
  if (spec.create) {
    // unique across the warm-up and the measured process: a repeated key would be refused (409)
    const tag = `${spec.create.tag}-${process.pid}-${run}`;
    return {
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: spec.create.path, body: createBody(tag, counter++) }),
    };
  }
  const paths = spec.paths ?? readPaths(spec.read.kind, spec.read.size);
  return { method: 'GET', setupRequest: (req) => ({ ...req, path: paths[counter++ % paths.length] }) };
}

async function once(duration) {
  run++;
  return autocannon({
    url: spec.url,
    connections: spec.connections ?? 10,
    duration,
    pipelining: 1,
    timeout: 10,
    headers: { 'content-type': 'application/json', ...(spec.headers ?? {}) },
    requests: [request()],
  });
}

for (let i = 0; i < (spec.warmups ?? 2); i++) await once(spec.warmupDuration ?? 1);
const r = await once(spec.duration ?? 5);
const status = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
process.stdout.write(`${JSON.stringify({
  rps: r.requests.average,
  total: r.requests.total,
  durationS: r.duration,
  latencyMs: { p50: r.latency.p50, p99: r.latency.p99, avg: r.latency.average },
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  status,
  connections: r.connections,
})}\n`);
