/**
 * Graceful shutdown of the server entry (mock-server/server.ts, issue item 4 "Graceful shutdown
 * flushes"): stop() refuses new connections, lets a request in flight finish and answer, then
 * saves --db one last time. The in-process `mock.close()` drains the same way (issue 15, item 10:
 * it used to cut requests in flight): both use one drain.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockDhis2 } from '../../mock-server/index.js';
import { startMockServer } from '../../mock-server/server.js';
import { ADMIN } from '../mock-server/helpers.js';
import { createBody, legacyAcknowledged, TEI_PATH } from './support/people.js';

const dir = mkdtempSync(join(tmpdir(), 'dhis2-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful stop (issue item 4)', () => {
  it('a write in flight when stop() is called still commits, answers 200 and is in the file; new connections are refused', async () => {
    const file = join(dir, 'state.json');
    const running = await startMockServer({
      db: file,
      seed: 1,
      uniqueness: 'atomic',
      log: () => {},
      // holds the POST in the emulator long enough to call stop() while it is in flight
      faults: { rules: [{ kind: 'latency', method: 'POST', path: '/api/trackedEntityInstances', delay: { dist: 'fixed', ms: 300 } }] },
    });
    const inFlight = request(`${running.url}${TEI_PATH}`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(createBody('Shut000001a', 'SHUT-1', '+23270000009')),
    });
    // stop only once the emulator has the request (its journal says so): no timing guess
    while (!running.mock.admin.journal().entries.some((e) => e.type === 'request' && e.method === 'POST')) {
      await new Promise((r) => setImmediate(r));
    }
    const stopped = running.stop();
    const res = await inFlight;
    expect(legacyAcknowledged(res.statusCode, await res.body.json())).toBe(true);
    await stopped;
    await expect(request(`${running.url}/api/system/info`, { headers: { authorization: ADMIN } })).rejects.toThrow();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { trackedEntities: { uid: string }[] };
    expect(saved.trackedEntities.map((e) => e.uid)).toContain('Shut000001a');
  });

  it('in-process close() drains too: a write in flight commits, answers and is saved; then the lock is released', async () => {
    const file = join(dir, 'close.json');
    const mock = await createMockDhis2({
      db: file,
      seed: 1,
      uniqueness: 'atomic',
      log: () => {},
      faults: { rules: [{ kind: 'latency', method: 'POST', path: '/api/trackedEntityInstances', delay: { dist: 'fixed', ms: 300 } }] },
    });
    const url = await mock.listen();
    const inFlight = request(`${url}${TEI_PATH}`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(createBody('Shut000002a', 'SHUT-2', '+23270000010')),
    });
    while (!mock.admin.journal().entries.some((e) => e.type === 'request' && e.method === 'POST')) {
      await new Promise((r) => setImmediate(r));
    }
    const closed = mock.close();
    const res = await inFlight;
    expect(legacyAcknowledged(res.statusCode, await res.body.json())).toBe(true);
    await closed;
    await expect(request(`${url}/api/system/info`, { headers: { authorization: ADMIN } })).rejects.toThrow();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { trackedEntities: { uid: string }[] };
    expect(saved.trackedEntities.map((e) => e.uid)).toContain('Shut000002a');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
