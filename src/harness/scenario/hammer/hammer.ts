/**
 * `dhis2-harness hammer`: N records × C concurrent upserts through one implementation at any
 * DHIS2, then the history checker over what the public API shows (no admin API, no journal), so
 * a staging server can be tested exactly like the emulator. Keys are salted per run, so runs on a
 * shared server never see each other's entities.
 */
import { randomBytes } from 'node:crypto';
import { Dhis2Client } from '../../../client/dhis2-client.js';
import { closeCachedClients } from '../../../upsert/context-client.js';
import { chooseApi } from '../../../upsert/api/select.js';
import { CountingHttp } from '../../../upsert/api/http.js';
import { checkHistory } from '../../checker/index.js';
import { Coordinator } from '../../coordinator.js';
import type { Finding } from '../../findings.js';
import { Gateway } from '../../gateway.js';
import { HistoryRecorder, type EntitySnapshot, type History, type HistoryOp } from '../../history.js';
import { invokeCall } from '../../invoke.js';
import type { HarnessRecord, Implementation } from '../../types.js';
import { markEmulatorGaps, opsFailedOnUnhandled, type UnhandledRequest } from '../../unhandled.js';
import { discoverTarget, type DiscoverOptions, type HammerTarget } from './discover.js';
import { forwardTo } from './proxy.js';

export interface HammerOptions extends DiscoverOptions {
  target: string;
  username: string;
  password: string;
  implementation: Implementation;
  implementationName: string;
  records: number;
  concurrency: number;
  /** records in flight at once (default 4) */
  parallel?: number;
  /** key prefix part; random when absent */
  salt?: string;
  opTimeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
  /** an embedded emulator's unhandled-request log (`mock.admin.unhandled`); a real DHIS2 has none */
  unhandled?: () => UnhandledRequest[];
}

export interface HammerReport {
  ok: boolean;
  target: string;
  dhis2Version: string;
  implementation: string;
  records: number;
  concurrency: number;
  salt: string;
  keyAttribute: HammerTarget['keyAttribute'];
  trackedEntityType: string;
  orgUnit: string;
  outcomes: { ok: number; fail: number; unknown: number };
  requests: number;
  durationMs: number;
  /** keys with more than one live entity afterwards */
  duplicates: { key: string; uids: string[] }[];
  /** keys with no live entity although some upsert of them succeeded */
  missing: string[];
  findings: Finding[];
  /** a few failures, for the reader */
  errors: { op: number; key: string; message: string }[];
  /** requests the embedded emulator had no handler for (empty against a real DHIS2) */
  unhandled: UnhandledRequest[];
}

async function liveEntities(client: Dhis2Client, t: HammerTarget, keys: string[], signal?: AbortSignal): Promise<EntitySnapshot[]> {
  const api = chooseApi('auto', await client.detectVersion(signal));
  const http = new CountingHttp(client);
  const out: EntitySnapshot[] = [];
  for (let i = 0; i < keys.length; i += 50) {
    const found = await api.search(http, { trackedEntityType: t.trackedEntityType, attribute: t.keyAttribute.id, values: keys.slice(i, i + 50) }, signal);
    for (const e of found) out.push({ uid: e.uid, orgUnit: e.orgUnit ?? '', deleted: false, attributes: Object.fromEntries(e.attributes.map((a) => [a.attribute, a.value])) });
  }
  const seen = new Set<string>();
  return out.filter((e) => (seen.has(e.uid) ? false : (seen.add(e.uid), true))).sort((a, b) => a.uid.localeCompare(b.uid));
}

export async function hammer(o: HammerOptions): Promise<HammerReport> {
  const started = Date.now();
  const salt = o.salt ?? randomBytes(4).toString('hex').toUpperCase();
  const admin = new Dhis2Client({ baseUrl: o.target, auth: { username: o.username, password: o.password } });
  const gateway = new Gateway({ handler: forwardTo(o.target), coordinator: new Coordinator(undefined) });
  try {
    const t = await discoverTarget(admin, o);
    const keys = Array.from({ length: o.records }, (_, i) => `HAMMER-${salt}-${String(i).padStart(4, '0')}`);
    const recordOf = (key: string): HarnessRecord => ({
      trackedEntityType: t.trackedEntityType,
      orgUnit: t.orgUnit,
      matchAttribute: t.keyAttribute.id,
      attributes: [{ attribute: t.keyAttribute.id, value: key }, ...t.fill],
    });
    const initial = await liveEntities(admin, t, keys);
    await gateway.listen();
    const recorder = new HistoryRecorder();
    const total = o.records * o.concurrency;
    let done = 0;
    let nextId = 0;
    const deps = { gateway, recorder, credentials: { username: o.username, password: o.password }, timeoutMs: o.opTimeoutMs ?? 60_000, dhis2Version: t.version, anonymous: true };
    // each upsert is a job run of its own (its own base URL, so its own client): no in-process
    // single-flight or cache between them, as between separate runs in production
    const upsertOnce = async (keyIndex: number): Promise<void> => {
      const key = keys[keyIndex];
      const op: HistoryOp = recorder.invoke({ id: nextId++, phase: 'main', round: 0, key: keyIndex, keyValue: key, record: recordOf(key) });
      op.call = op.id;
      op.client = op.id;
      try {
        await invokeCall(op.id, { kind: 'single', implementation: o.implementation, ops: [op] }, deps);
      } finally {
        o.onProgress?.(++done, total);
      }
    };
    let cursor = 0;
    const worker = async () => {
      while (cursor < keys.length) {
        const k = cursor++;
        await Promise.all(Array.from({ length: o.concurrency }, () => upsertOnce(k)));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel ?? 4, keys.length)) }, worker));
    const final = await liveEntities(admin, t, keys);
    for (const op of recorder.ops) op.requests = gateway.requests.get(op.id) ?? [];
    const history: History = {
      keyKind: t.keyAttribute.unique ? 'unique' : 'non-unique',
      keyAttribute: t.keyAttribute.id,
      ops: recorder.ops,
      events: recorder.events,
      interleaving: [],
      snapshots: { initial, afterMain: final, final },
      journalAvailable: false,
    };
    const findings = checkHistory(history);
    const unhandled = o.unhandled?.() ?? [];
    markEmulatorGaps(findings, opsFailedOnUnhandled(recorder.ops, unhandled));
    const byKey = new Map<string, string[]>();
    for (const e of final) {
      const k = e.attributes[t.keyAttribute.id]?.toLowerCase();
      if (k) byKey.set(k, [...(byKey.get(k) ?? []), e.uid]);
    }
    const succeeded = new Set(recorder.ops.filter((x) => x.outcome === 'ok').map((x) => x.keyValue));
    const count = (oc: string) => recorder.ops.filter((x) => x.outcome === oc).length;
    return {
      ok: findings.length === 0 && count('ok') === total,
      target: o.target,
      dhis2Version: t.version,
      implementation: o.implementationName,
      records: o.records,
      concurrency: o.concurrency,
      salt,
      keyAttribute: t.keyAttribute,
      trackedEntityType: t.trackedEntityType,
      orgUnit: t.orgUnit,
      outcomes: { ok: count('ok'), fail: count('fail'), unknown: count('unknown') },
      requests: recorder.ops.reduce((n, x) => n + x.requests.length, 0),
      durationMs: Date.now() - started,
      duplicates: keys.filter((k) => (byKey.get(k.toLowerCase()) ?? []).length > 1).map((k) => ({ key: k, uids: byKey.get(k.toLowerCase())! })),
      missing: keys.filter((k) => succeeded.has(k) && !byKey.has(k.toLowerCase())),
      findings,
      errors: recorder.ops.filter((x) => x.error).slice(0, 5).map((x) => ({ op: x.id, key: x.keyValue, message: `${x.error!.code ?? x.error!.name}: ${x.error!.message}` })),
      unhandled,
    };
  } finally {
    const prefix = gateway.url ? gateway.baseUrlFor(0).replace(/c0$/, '') : undefined;
    await gateway.close();
    await closeCachedClients(prefix);
    await admin.close();
  }
}
