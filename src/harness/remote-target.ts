/**
 * A run on an emulator already listening at a URL (`dhis2-harness serve`): reset and configured
 * through its admin API, the pre-existing entities created through its public API, and its
 * requests reached through the harness's gateway as a proxy.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { JournalEntry, StoredEntity, StoredEvent, UnhandledRequest } from '../../mock-server/index.js';
import { preexistingEntities, type RunTarget } from './target.js';
import type { Workload } from './types.js';

export interface RemoteOptions {
  url: string;
  /** the emulator's --admin-token, if it has one */
  adminToken?: string;
  username: string;
  password: string;
}

export class RemoteTargetError extends Error {
  readonly code = 'REMOTE_TARGET';
}

export async function remoteTarget(w: Workload, o: RemoteOptions, raceWindowMs: [number, number]): Promise<RunTarget> {
  const base = o.url.replace(/\/+$/, '');
  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${base}/__admin/${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(o.adminToken ? { authorization: `Bearer ${o.adminToken}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((e: Error) => {
      throw new RemoteTargetError(`Cannot reach ${base}: ${e.message}. Start an emulator with \`dhis2-harness serve\` and pass its URL.`);
    });
    if (!res.ok) {
      throw new RemoteTargetError(
        `${method} ${base}/__admin/${path} answered ${res.status}: verify --url needs a dhis2-harness emulator (its admin API resets and inspects it${res.status === 401 ? '; pass --admin-token' : ''}). For a real DHIS2 use \`dhis2-harness hammer\`.`,
      );
    }
    return res.json();
  };
  const auth = 'Basic ' + Buffer.from(`${o.username}:${o.password}`).toString('base64');
  await admin('POST', 'reset');
  // pre-existing entities go in with uniqueness off, so ambiguous duplicates can exist
  await admin('PUT', 'config', { uniqueness: 'off', dhis2Version: w.dhis2Version, raceWindowMs });
  for (const e of preexistingEntities(w)) {
    const legacy = Number(w.dhis2Version.split('.')[1]) < 36;
    const te = { trackedEntityType: e.trackedEntityType, orgUnit: e.orgUnit, attributes: e.attributes.map(({ attribute, value }) => ({ attribute, value })) };
    const res = await fetch(legacy ? `${base}/api/trackedEntityInstances` : `${base}/api/tracker?async=false&importStrategy=CREATE`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(legacy ? { ...te, trackedEntityInstance: e.uid } : { trackedEntities: [{ ...te, trackedEntity: e.uid }] }),
    });
    if (!res.ok) throw new RemoteTargetError(`Could not create the pre-existing entity ${e.uid} at ${base}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    if (!e.deleted) continue;
    const del = await fetch(legacy ? `${base}/api/trackedEntityInstances/${e.uid}` : `${base}/api/tracker?async=false&importStrategy=DELETE`, {
      method: legacy ? 'DELETE' : 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      ...(legacy ? {} : { body: JSON.stringify({ trackedEntities: [{ ...te, trackedEntity: e.uid }] }) }),
    });
    if (!del.ok) throw new RemoteTargetError(`Could not soft-delete the pre-existing entity ${e.uid} at ${base}: HTTP ${del.status} ${(await del.text()).slice(0, 200)}`);
  }
  await admin('PUT', 'config', { uniqueness: w.uniqueness });
  const target = new URL(base);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return {
    handler(req, res) {
      const upstream = send(
        { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: target.pathname.replace(/\/$/, '') + (req.url ?? '/'), headers: { ...req.headers, host: target.host } },
        (up) => {
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== 'connection' && k !== 'keep-alive') res.setHeader(k, v);
          res.statusCode = up.statusCode ?? 502;
          up.pipe(res);
        },
      );
      upstream.on('error', () => req.socket.destroy());
      req.pipe(upstream);
    },
    state: async () => ((await admin('GET', 'state')) as { trackedEntities: StoredEntity[] }).trackedEntities,
    events: async () => ((await admin('GET', 'state')) as { events?: StoredEvent[] }).events ?? [],
    journal: async () => ((await admin('GET', 'journal')) as { entries: JournalEntry[] }).entries,
    installFaults: async (plan) => void (await admin('PUT', 'faults', plan)),
    clearFaults: async () => void (await admin('DELETE', 'faults')),
    unhandled: async () => ((await admin('GET', 'unhandled').catch(() => undefined)) as { requests?: UnhandledRequest[] } | undefined)?.requests,
    close: async () => undefined,
  };
}
