/** Emulator fixtures for the upsert integration tests. */
import { createMockDhis2, DEMO_IDS, type MockDhis2 } from '../../../mock-server/index.js';
import { Dhis2Client } from '../../../src/client/dhis2-client.js';
import type { UpsertRecord } from '../../../src/upsert/record.js';

export { DEMO_IDS };
export const A = DEMO_IDS.attributes;
export const OU = DEMO_IDS.orgUnits;
export const TET = DEMO_IDS.trackedEntityType;

export const seed = Number(process.env.FC_SEED ?? 424242);

export interface Env {
  mock: MockDhis2;
  client: Dhis2Client;
  ctx: { baseUrl: string; username: string; password: string };
  close(): Promise<void>;
}

export async function startEnv(dhis2Version = '2.40', uniqueness: 'atomic' | 'racy' | 'off' = 'atomic'): Promise<Env> {
  const mock = await createMockDhis2({ dhis2Version, uniqueness, seed, log: () => {} });
  await mock.listen();
  const client = new Dhis2Client({ baseUrl: mock.url, auth: { username: 'admin', password: 'district' } });
  return {
    mock,
    client,
    ctx: { baseUrl: mock.url, username: 'admin', password: 'district' },
    async close() {
      await client.close();
      await mock.close();
    },
  };
}

/**
 * A Person record. First name is mandatory on the demo type, and the tracker API enforces that on
 * create (E1090), so it defaults to 'Test'; use `bare` for records that must omit it.
 */
export function person(nid: string, extra: Record<string, string> = {}, orgUnit: string = OU.ngelehun): UpsertRecord {
  return bare(nid, { [A.firstName]: 'Test', ...extra }, orgUnit);
}

/** A Person record with exactly the given attributes besides the key. */
export function bare(nid: string, extra: Record<string, string> = {}, orgUnit: string = OU.ngelehun): UpsertRecord {
  return {
    trackedEntityType: TET,
    orgUnit,
    matchAttribute: A.nationalId,
    attributes: [{ attribute: A.nationalId, value: nid }, ...Object.entries(extra).map(([attribute, value]) => ({ attribute, value }))],
  };
}

/** Live entities carrying `value` for `attribute`, from the emulator's store. */
export function liveWith(env: Env, attribute: string, value: string) {
  return env.mock.admin.state().filter((e) => !e.deleted && e.attributes.some((a) => a.attribute === attribute && a.value === value));
}

export function attrsOf(entity: { attributes: { attribute: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(entity.attributes.map((a) => [a.attribute, a.value]));
}

/** A client whose requests can be observed and delayed, to stage races deterministically. */
export class HookedClient extends Dhis2Client {
  beforeRequest?: (method: string, path: string) => Promise<void> | void;
  calls: { method: string; path: string; query?: Record<string, unknown> }[] = [];
  override async request<T = unknown>(method: string, path: string, opts: Parameters<Dhis2Client['request']>[2] = {}) {
    this.calls.push({ method, path, query: opts.query as Record<string, unknown> | undefined });
    await this.beforeRequest?.(method, path);
    return super.request<T>(method, path, opts);
  }
}

export function hookedClient(env: Env, auth = { username: 'admin', password: 'district' }): HookedClient {
  return new HookedClient({ baseUrl: env.mock.url, auth });
}

/** Creates an entity the way a human or another tool would: without our UID scheme. */
export async function directCreate(env: Env, attrs: Record<string, string>, orgUnit: string = OU.ngelehun): Promise<string> {
  const attributes = Object.entries({ [A.firstName]: 'Direct', ...attrs }).map(([attribute, value]) => ({ attribute, value }));
  const v = await env.client.detectVersion();
  if (v.minor < 42) {
    const res = await env.client.post<{ response: { importSummaries: { reference: string }[] } }>('trackedEntityInstances', { trackedEntityType: TET, orgUnit, attributes });
    return res.body.response.importSummaries[0].reference;
  }
  const res = await env.client.post<any>('tracker', { trackedEntities: [{ trackedEntityType: TET, orgUnit, attributes }] }, { async: false });
  return res.body.bundleReport.typeReportMap.TRACKED_ENTITY.objectReports[0].uid;
}

export async function directDelete(env: Env, uid: string): Promise<void> {
  const v = await env.client.detectVersion();
  if (v.minor < 42) await env.client.delete(`trackedEntityInstances/${uid}`);
  else await env.client.post('tracker', { trackedEntities: [{ trackedEntity: uid }] }, { async: false, importStrategy: 'DELETE' });
}

export interface Config {
  version: string;
  api: 'legacy' | 'tracker' | 'auto';
  expect: 'legacy' | 'tracker';
}

export const CONFIGS: Config[] = [
  { version: '2.35', api: 'auto', expect: 'legacy' },
  { version: '2.39', api: 'legacy', expect: 'legacy' },
  { version: '2.41', api: 'legacy', expect: 'legacy' },
  { version: '2.36', api: 'auto', expect: 'tracker' },
  { version: '2.40', api: 'auto', expect: 'tracker' },
  { version: '2.41', api: 'tracker', expect: 'tracker' },
  { version: '2.42', api: 'auto', expect: 'tracker' },
];

/** Sleep that returns at once: retries in tests wait for nothing. */
export const instantEnv = { sleep: async () => {} };
