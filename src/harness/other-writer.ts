/**
 * Another system writing the same patients while the run goes on, as a clerk in the DHIS2 app
 * would: it looks the patient up (it sees the live entity carrying the key, wherever it is), then
 * updates that entity, or registers the patient with a UID of its own when none exists. Its
 * writes go through the gateway on their own lane, so they are scheduled, journaled and part of
 * the history like the implementation's (the checker never blames the implementation for them).
 */
import { DEMO_IDS, type StoredEntity } from '../../mock-server/index.js';
import { deterministicUid } from '../uid.js';
import { classifyError, type HistoryOp, type HistoryRecorder } from './history.js';
import { sameKey } from './keys.js';

export interface OtherWriterDeps {
  baseUrl: string;
  credentials: { username: string; password: string };
  dhis2Version: string;
  keyAttribute: string;
  state(): Promise<StoredEntity[]>;
  recorder: HistoryRecorder;
}

class OtherWriteError extends Error {
  readonly code = 'OTHER_WRITE';
  constructor(
    message: string,
    readonly outcomeUnknown: boolean,
  ) {
    super(message);
  }
}

function holderOf(entities: readonly StoredEntity[], op: HistoryOp, keyAttribute: string): StoredEntity | undefined {
  return entities.find(
    (e) => !e.deleted && (op.keyScope === undefined || e.orgUnit === op.keyScope) && e.attributes.some((a) => a.attribute === keyAttribute && sameKey(a.value, op.keyValue)),
  );
}

export async function otherWrite(op: HistoryOp, deps: OtherWriterDeps): Promise<void> {
  const legacy = Number(deps.dhis2Version.split('.')[1]) < 36;
  const auth = 'Basic ' + Buffer.from(`${deps.credentials.username}:${deps.credentials.password}`).toString('base64');
  const base = deps.baseUrl.replace(/\/+$/, '');
  try {
    const holder = holderOf(await deps.state(), op, deps.keyAttribute);
    const uid = holder?.uid ?? deterministicUid('harness-other-writer', String(op.id));
    // the clerk edits names only; a new registration carries the key too
    // (the DHIS2 app trims what the clerk typed)
    const attributes = op.record.attributes.filter((a) => holder === undefined || a.attribute !== deps.keyAttribute).map((a) => ({ ...a, value: a.value.trim() }));
    const orgUnit = holder?.orgUnit ?? op.record.orgUnit;
    const te = { trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit, attributes };
    const [url, method, body] = legacy
      ? holder
        ? [`${base}/api/trackedEntityInstances/${uid}`, 'PUT', te]
        : [`${base}/api/trackedEntityInstances?strategy=CREATE`, 'POST', { ...te, trackedEntityInstance: uid }]
      : [`${base}/api/tracker?async=false&importStrategy=${holder ? 'UPDATE' : 'CREATE'}`, 'POST', { trackedEntities: [{ ...te, trackedEntity: uid }] }];
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new OtherWriteError(`${method} answered ${res.status}: ${text.slice(0, 200)}`, res.status >= 500);
    deps.recorder.complete(op, 'ok', { uid, action: holder ? 'updated' : 'created' });
  } catch (err) {
    deps.recorder.complete(op, err instanceof OtherWriteError ? classifyError(err) : 'unknown', { error: err });
  }
}
