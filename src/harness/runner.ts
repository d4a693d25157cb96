/**
 * Runs one workload against a fresh in-process emulator and records its history: set-up of the
 * pre-existing entities, the main phase (rounds of concurrent operations, faults injected), the
 * heal phase (each unambiguous key once more, no faults), then snapshots and journal slices.
 */
import type { JournalEntry } from '../../mock-server/index.js';
import { closeCachedClients } from '../upsert/context-client.js';
import { faulted } from './checker/key-view.js';
import { Coordinator } from './coordinator.js';
import type { TaskScheduler } from './fifo-scheduler.js';
import { Gateway } from './gateway.js';
import { HistoryRecorder, snapshotOf, type History, type HistoryOp } from './history.js';
import { invokeOperation } from './invoke.js';
import type { Implementation, RunMode, Workload } from './types.js';
import { inProcessTarget, remoteTarget, type RemoteOptions, type RunTarget } from './target.js';
import { ambiguousKeys, flattenOps, keyAttributeOf, keyValueOf, recordOf } from './workload.js';

export interface RunOptions {
  mode: RunMode;
  /** required in 'scheduled' mode */
  scheduler?: TaskScheduler;
  /** emulator seed (generated UIDs, race-window delays) */
  seed: number;
  /** per-operation time limit; the operation is then 'unknown' and its signal aborted */
  opTimeoutMs?: number;
  /** concurrent mode: the emulator's seeded delay between uniqueness check and commit */
  raceWindowMs?: [number, number];
  /** run against an emulator at this URL instead of a fresh in-process one */
  remote?: RemoteOptions;
}

export interface RunResult {
  history: History;
  durationMs: number;
  /** times the scheduler had to move on without quiescence (0 means the run replays exactly) */
  stalls: number;
}

const DEFAULT_CREDENTIALS = { username: 'admin', password: 'district' };

function journalSlices(ops: HistoryOp[], entries: readonly JournalEntry[], gateway: Gateway): void {
  const byOp = new Map(ops.map((o) => [o.id, o]));
  for (const e of entries) {
    if (!('requestId' in e) || !e.requestId) continue;
    const op = byOp.get(gateway.opOfRequest(e.requestId) ?? -1);
    if (!op) continue;
    op.journal.push(e);
    if (e.type === 'commit') op.commits.push({ uid: e.uid, operation: e.operation, changes: e.changes });
  }
}

export async function runWorkload(implementation: Implementation, workload: Workload, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  if (options.mode === 'scheduled' && !options.scheduler) throw new TypeError('runWorkload: scheduled mode needs a scheduler');
  const coordinator = new Coordinator(options.mode === 'scheduled' ? options.scheduler : undefined);
  const scheduled = options.mode === 'scheduled';
  // a remote emulator's commit window cannot be scheduled: close it, so check and commit stay together
  const raceWindowMs = options.raceWindowMs ?? (options.remote && scheduled ? [0, 0] : [0, 8]);
  const target: RunTarget = options.remote ? await remoteTarget(workload, options.remote, raceWindowMs) : await inProcessTarget(workload, options.seed, raceWindowMs);
  const credentials = options.remote ? { username: options.remote.username, password: options.remote.password } : DEFAULT_CREDENTIALS;
  const main = flattenOps(workload);
  const faults = new Map(workload.faults.map((f) => [`${f.op}:${f.request}`, f.kind]));
  const gateway = new Gateway({
    handler: (req, res) => target.handler(req, res),
    coordinator,
    faultFor: (op, request) => (op < main.length ? faults.get(`${op}:${request}`) : undefined),
  });
  try {
    await gateway.listen();
    if (coordinator.scheduled && target.setRaceHook) {
      target.setRaceHook((info) => {
        const op = gateway.opOfRequest(info.requestId);
        return coordinator.gate(op, `op${op} commit window ${info.api} [${info.keys.map((k) => k.value).join(',')}]`);
      });
    }
    const recorder = new HistoryRecorder();
    const initial = snapshotOf(await target.state());

    const deps = { implementation, gateway, coordinator, recorder, credentials, timeoutMs: options.opTimeoutMs ?? 20_000 };
    const invoke = (op: HistoryOp): Promise<void> => invokeOperation(op, deps);

    const runRound = async (ops: HistoryOp[]): Promise<void> => {
      if (!coordinator.scheduled) return void (await Promise.all(ops.map(invoke)));
      const pending: Promise<void>[] = [];
      for (const op of ops) {
        // start one at a time so the scheduler's task list is built in a fixed order
        pending.push(invoke(op));
        await coordinator.until(() => coordinator.settled(op.id));
      }
      await coordinator.drive(Promise.all(pending));
    };

    const keyAttr = keyAttributeOf(workload.keyKind);
    const opOf = (id: number, phase: 'main' | 'heal', round: number, spec: { key: number } & Parameters<typeof recordOf>[1]) =>
      recorder.invoke({ id, phase, round, key: spec.key, keyValue: keyValueOf(workload.keyKind, spec.key), record: recordOf(workload, spec) });

    for (let r = 0; r < workload.rounds.length; r++) {
      await runRound(main.filter((m) => m.round === r).map((m) => opOf(m.index, 'main', r, m.spec)));
    }
    const afterMain = snapshotOf(await target.state());
    // the faults stop here: convergence is judged on a healthy server
    if (workload.serverFaults?.length) await target.clearServerFaults();

    const ambiguous = ambiguousKeys(workload);
    const lastSpec = new Map(main.map((m) => [m.spec.key, m.spec]));
    let healId = main.length;
    for (const [key, spec] of [...lastSpec].sort((a, b) => a[0] - b[0])) {
      if (ambiguous.has(key)) continue;
      await runRound([opOf(healId++, 'heal', workload.rounds.length, spec)]);
    }
    const final = snapshotOf(await target.state());

    const history: History = {
      keyKind: workload.keyKind,
      keyAttribute: keyAttr,
      ops: recorder.ops,
      events: recorder.events,
      interleaving: coordinator.interleaving,
      snapshots: { initial, afterMain, final },
      journalAvailable: false,
    };
    for (const op of history.ops) op.requests = gateway.requests.get(op.id) ?? [];
    const journal = await target.journal();
    if (journal) {
      history.journalAvailable = true;
      journalSlices(history.ops, journal, gateway);
    }
    // A definite-looking failure is not definite when a fault touched the operation: behind a
    // proxy that delivered the write twice, a 409 can follow a commit.
    for (const op of history.ops) if (op.outcome === 'fail' && faulted(op)) op.outcome = 'unknown';
    return { history, durationMs: Date.now() - started, stalls: coordinator.stalls };
  } finally {
    target.setRaceHook?.(undefined);
    await gateway.close();
    await target.close();
    await closeCachedClients();
  }
}
