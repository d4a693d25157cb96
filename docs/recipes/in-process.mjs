// in-process.mjs: the emulator inside your own Node process (a test, a script), on a free port.
import { createMockDhis2 } from 'dhis2-upsert-harness/mock-server';

const mock = await createMockDhis2({ dhis2Version: '2.41', uniqueness: 'racy', seed: 1 });
const url = await mock.listen(); // http://127.0.0.1:PORT
const res = await fetch(`${url}/api/system/info`, { headers: { authorization: `Basic ${btoa('admin:district')}` } });
console.log(`DHIS2 ${(await res.json()).version} at ${url}`);
console.log(mock.admin.invariants().ok ? 'no duplicates' : 'duplicates!');
await mock.admin.reset(); // back to the fixture: entities, journal and faults
await mock.close();
