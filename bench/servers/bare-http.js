// Reference: a bare node:http server answering a constant JSON body.
import '../lib/cpu-report.js';
import { createServer } from 'node:http';

const body = JSON.stringify({ status: 'OK', message: 'hello' });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
