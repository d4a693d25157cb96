import type { HarnessClock } from './clock.js';
import type { Gateway } from './gateway.js';
import { classifyError, extractAction, extractUid, type HistoryOp, type HistoryRecorder } from './history.js';
import { OpLogBuffer } from './op-logs.js';
import type { BatchImplementation, Implementation, UpsertContext } from './types.js';

export interface InvokeDeps {
  gateway: Gateway;
  recorder: HistoryRecorder;
  credentials: { username: string; password: string };
  timeoutMs: number;
  /** the emulator's DHIS2 version, passed on in ctx */
  dhis2Version?: string;
  /** the run's clock, passed on in ctx (virtual in scheduled runs) */
  clock?: HarnessClock;
  /** every call is a job run of its own (hammer): no `ctx.client`, so a process pool may use any idle process */
  anonymous?: boolean;
}

/** One invocation of an implementation: a single upsert (one op) or a batch call (its ops, in order). */
export type Call =
  | { kind: 'single'; implementation: Implementation; ops: [HistoryOp] }
  | { kind: 'batch'; implementation: BatchImplementation; ops: HistoryOp[] };

const ABANDON_GRACE_MS = 2_000;

/**
 * Runs one call on a lane (a simulated job run): the implementation gets the lane's base URL (the
 * gateway attributes the lane's requests to this call while it runs) and an abort signal; a call
 * that outlives `timeoutMs` is recorded as 'unknown' for each of its ops (it may still commit), any
 * other error is classified, success records the UID and the reported action per op.
 * Shared by generated workloads and hand-written scenarios.
 */
export async function invokeCall(lane: number, call: Call, deps: InvokeDeps): Promise<void> {
  const { ops } = call;
  deps.gateway.beginCall(lane, ops[0].call ?? ops[0].id);
  const ac = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      for (const op of ops) op.timedOut = true;
      ac.abort(new Error(`dhis2-harness: ${ops.map((o) => `op${o.id}`).join('+')} exceeded ${deps.timeoutMs} ms`));
      reject(ac.signal.reason);
    }, deps.timeoutMs);
  });
  const logs = new OpLogBuffer();
  const ctx: UpsertContext = {
    baseUrl: deps.gateway.baseUrlFor(lane),
    ...deps.credentials,
    signal: ac.signal,
    ...(deps.anonymous ? {} : { client: lane }),
    ...(deps.dhis2Version ? { dhis2Version: deps.dhis2Version } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    log: (line: string) => logs.push(line),
  };
  const done = (op: HistoryOp, outcome: Parameters<HistoryRecorder['complete']>[1], detail: Parameters<HistoryRecorder['complete']>[2], at: number) => {
    // output after completion belongs to no recorded outcome
    const lines = logs.close();
    if (lines) op.logs = lines;
    deps.recorder.complete(op, outcome, detail, at);
  };
  try {
    if (call.kind === 'single') {
      running = Promise.resolve().then(() => call.implementation(structuredClone(ops[0].record), ctx));
      const result = await Promise.race([running, expired]);
      done(ops[0], 'ok', { uid: extractUid(result), action: extractAction(result) }, deps.recorder.tick());
    } else {
      running = Promise.resolve().then(() => call.implementation(ops.map((o) => structuredClone(o.record)), ctx));
      const results = await Promise.race([running, expired]);
      const at = deps.recorder.tick();
      if (!Array.isArray(results)) {
        const err = new TypeError(`the batch implementation resolved to ${typeof results}, not an array of one result per record`);
        for (const op of ops) done(op, 'unknown', { error: err }, at);
      } else {
        ops.forEach((op, i) => {
          const r = results[i];
          const failed = r && typeof r === 'object' && (r as { ok?: unknown }).ok === false;
          if (failed) {
            const error = (r as { error?: unknown }).error ?? new Error('the batch reported this record as failed');
            done(op, classifyError(error), { error }, at);
          } else if (r === undefined) done(op, 'unknown', { error: new Error(`the batch returned no result for record ${i}`) }, at);
          else done(op, 'ok', { uid: extractUid(r), action: extractAction(r) }, at);
        });
      }
    }
  } catch (err) {
    const at = deps.recorder.tick();
    for (const op of ops) done(op, timedOut ? 'unknown' : classifyError(err), { error: err }, at);
  } finally {
    clearTimeout(timer);
    // an abandoned call may still be sending: give it a moment to stop (its signal is aborted), so
    // its late requests are not taken for the next call of the lane
    if (timedOut) await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, ABANDON_GRACE_MS).unref())]);
    deps.gateway.endCall(lane);
  }
}
