// The ceiling: an express app built with the emulator's own settings (dist/mock-server/app.js
// `createExpressApp`), answering a constant JSON body on every path.
import '../lib/cpu-report.js';
import { createExpressApp } from '../../dist/mock-server/app.js';

const app = createExpressApp();
const body = { status: 'OK', message: 'hello' };
app.use((_req, res) => res.json(body));
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`ready at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
