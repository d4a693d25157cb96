import type { Coordinator } from './coordinator.js';
import type { Gateway } from './gateway.js';
import { classifyError, extractUid, type HistoryOp, type HistoryRecorder } from './history.js';
import { OpLogBuffer } from './op-logs.js';
import type { Implementation, UpsertContext } from './types.js';

export interface InvokeDeps {
  implementation: Implementation;
  gateway: Gateway;
  coordinator: Coordinator;
  recorder: HistoryRecorder;
  credentials: { username: string; password: string };
  timeoutMs: number;
  /** the emulator's DHIS2 version, passed on as `ctx.dhis2Version` */
  dhis2Version?: string;
  /** the simulated job run (`ctx.client`) of an operation; operations of one client must not overlap */
  clientOf?: (op: HistoryOp) => number | undefined;
}

/**
 * Runs one operation of a history: the implementation gets its own base URL (so the gateway can
 * tell operations apart) and an abort signal; an operation that outlives `timeoutMs` is recorded
 * as 'unknown' (it may still commit), any other error is classified, success records the UID.
 * Shared by generated workloads and hand-written scenarios.
 */
export async function invokeOperation(op: HistoryOp, deps: InvokeDeps): Promise<void> {
  deps.coordinator.opStarted(op.id);
  const ac = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error(`dhis2-harness: operation op${op.id} exceeded ${deps.timeoutMs} ms`));
      reject(ac.signal.reason);
    }, deps.timeoutMs);
  });
  const logs = new OpLogBuffer();
  const client = deps.clientOf?.(op);
  const ctx: UpsertContext = {
    baseUrl: deps.gateway.baseUrlFor(op.id),
    ...deps.credentials,
    signal: ac.signal,
    ...(deps.dhis2Version ? { dhis2Version: deps.dhis2Version } : {}),
    ...(client !== undefined ? { client } : {}),
    log: (line: string) => logs.push(line),
  };
  const keepLogs = () => {
    const lines = logs.close();
    if (lines) op.logs = lines;
  };
  try {
    const result = await Promise.race([Promise.resolve().then(() => deps.implementation(structuredClone(op.record), ctx)), expired]);
    keepLogs();
    deps.recorder.complete(op, 'ok', { uid: extractUid(result) });
  } catch (err) {
    keepLogs();
    deps.recorder.complete(op, timedOut ? 'unknown' : classifyError(err), { error: err });
  } finally {
    clearTimeout(timer);
    deps.coordinator.opDone(op.id);
  }
}
