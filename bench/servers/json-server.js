// The peer: json-server 0.17 (its own express stack) serving the same people as flat records,
// in memory (no file writes), without its request logger.
import '../lib/cpu-report.js';
import { createRequire } from 'node:module';
import { flatRecord } from '../lib/entities.js';

const require = createRequire(import.meta.url);
const jsonServer = require('json-server');
const count = Number(process.argv[2] ?? 0);
const people = [];
for (let i = 0; i < count; i++) people.push(flatRecord(i));
const app = jsonServer.create();
app.use(jsonServer.defaults({ logger: false }));
app.use(jsonServer.router({ people }));
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`ready at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
