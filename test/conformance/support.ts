import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockDhis2, DEMO_IDS, type MockDhis2 } from '../../mock-server/index.js';
import type { RunOptions } from '../../src/conformance/run.js';

/** The restricted demo user and an org unit on each side of its capture scope (Bo). */
export const DEMO_RESTRICTED = {
  username: 'bo_clerk', password: 'District1!', insideOrgUnit: DEMO_IDS.orgUnits.ngelehun, outsideOrgUnit: DEMO_IDS.orgUnits.kamaranka,
};

export async function listeningEmulator(version: string): Promise<{ mock: MockDhis2; url: string }> {
  const mock = await createMockDhis2({ dhis2Version: version, uniqueness: 'atomic', seed: 7, log: () => {} });
  const url = await mock.listen(0, '127.0.0.1');
  return { mock, url };
}

/** Everything the suite can run against the emulator: writes, the restricted user. */
export const emulatorRun = (url: string): RunOptions => ({
  url, username: 'admin', password: 'district', allowWrites: true, admin: true, targets: { restricted: DEMO_RESTRICTED },
});

/**
 * A deliberately broken DHIS2: the emulator behind a proxy that rewrites what `rewrite` returns for
 * a request (status and body), to prove the cases catch a server that differs.
 */
export type Rewrite = (req: IncomingMessage) => { status: number; body: string; type?: string } | undefined;

export async function brokenProxy(mock: MockDhis2, rewrite: Rewrite): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answer = rewrite(req);
    if (!answer) return void mock.app(req, res);
    res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
