/**
 * Runs one workload against a fresh emulator and records its history: set-up of the pre-existing
 * entities, the main phase (rounds; in each, every simulated job run works through its operations
 * one after another while the job runs and the other system run concurrently; the workload's
 * faults armed), the heal phase (each unambiguous key once more on the client that last sent it,
 * no faults), then snapshots, and the journal attached to the operations that caused it.
 */
import { closeCachedClients } from '../upsert/context-client.js';
import { attachJournal, settleOutcomes } from './attach.js';
import { realClock, virtualClock } from './clock.js';
import { Coordinator } from './coordinator.js';
import { aimFault, faultPlanOf } from './faults.js';
import type { TaskScheduler } from './fifo-scheduler.js';
import { Gateway, OTHER_LANE, type GatewayOptions } from './gateway.js';
import { HistoryRecorder, snapshotOf, type History, type HistoryOp } from './history.js';
import { invokeCall, type Call, type InvokeDeps } from './invoke.js';
import { identityOf, keyAttributeOf, keySpelling, keyValueOf, recordOf, scopeOf } from './keys.js';
import { otherWrite } from './other-writer.js';
import { Instances, toSource } from './source.js';
import { remoteTarget, type RemoteOptions } from './remote-target.js';
import { EmulatorPool, inProcessTarget, type RunTarget } from './target.js';
import type { BatchImplementation, Implementation, ImplementationSource, OpSpec, RunMode, Workload } from './types.js';
import type { UnhandledRequest } from './unhandled.js';
import { jobSnapshotOf } from './jobs/snapshot.js';
import { hasJobs } from './jobs/workload-jobs.js';
import { ambiguousKeys, flattenOps } from './workload.js';

export interface RunOptions {
  mode: RunMode;
  /** required in 'scheduled' mode */
  scheduler?: TaskScheduler;
  /** emulator seed (generated UIDs, race-window delays) */
  seed: number;
  /** per-call time limit; its ops are then 'unknown' and its signal aborted */
  opTimeoutMs?: number;
  /** concurrent mode: the emulator's seeded delay between uniqueness check and commit */
  raceWindowMs?: [number, number];
  /** run against an emulator at this URL instead of a fresh in-process one */
  remote?: RemoteOptions;
  /** a plain function is a single upsert unless this says it is a batch */
  batch?: boolean;
  /** an emulator and a gateway to reuse (verify keeps one for all its runs); fresh ones when absent */
  reuse?: { emulators: EmulatorPool; gateway: Gateway };
}

export interface RunResult {
  history: History;
  /** requests the emulator had no handler for (a gap in the emulator, not in the implementation) */
  unhandled: UnhandledRequest[];
  durationMs: number;
  /** times the scheduler had to move on without quiescence (0 means the run replays exactly) */
  stalls: number;
}

const DEFAULT_CREDENTIALS = { username: 'admin', password: 'district' };

/** An emulator and a gateway to reuse run after run (close it when done). */
export interface RunEnvironment {
  emulators: EmulatorPool;
  gateway: Gateway;
  close(): Promise<void>;
}

export function reusableEnvironment(seed: number): RunEnvironment {
  const emulators = new EmulatorPool(seed);
  const gateway = new Gateway({ handler: (_req, res) => res.destroy(), coordinator: new Coordinator(undefined) });
  return {
    emulators,
    gateway,
    async close() {
      await gateway.close();
      await emulators.close();
    },
  };
}

export async function runWorkload(implementation: Implementation | BatchImplementation | ImplementationSource, workload: Workload, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  if (options.mode === 'scheduled' && !options.scheduler) throw new TypeError('runWorkload: scheduled mode needs a scheduler');
  const source = toSource(implementation, options.batch);
  const instances = new Instances(source);
  const coordinator = new Coordinator(options.mode === 'scheduled' ? options.scheduler : undefined);
  const scheduled = options.mode === 'scheduled';
  // a remote emulator's commit window cannot be scheduled: close it, so check and commit stay together
  const raceWindowMs = options.raceWindowMs ?? (options.remote && scheduled ? [0, 0] : [0, 8]);
  const target: RunTarget = options.remote
    ? await remoteTarget(workload, options.remote, raceWindowMs)
    : options.reuse
      ? await options.reuse.emulators.target(workload, raceWindowMs)
      : await inProcessTarget(workload, options.seed, raceWindowMs);
  const credentials = options.remote ? { username: options.remote.username, password: options.remote.password } : DEFAULT_CREDENTIALS;
  const main = flattenOps(workload);
  const recorder = new HistoryRecorder();
  const callOps = new Map<number, HistoryOp[]>();
  let faultsArmed = workload.faults.length > 0;
  const gatewayOptions: GatewayOptions = {
    handler: (req, res) => target.handler(req, res),
    coordinator,
    // faults are aimed at the implementation's main-phase requests, never at the other system's
    faultFor: (call, request, previous) =>
      faultsArmed ? aimFault(workload.faults, (callOps.get(call) ?? []).filter((o) => o.phase === 'main' && o.actor !== 'other').map((o) => o.id), request, previous) : undefined,
    labelOf: (call) => (callOps.get(call) ?? []).map((o) => `op${o.id}`).join('+') || `op${call}`,
  };
  const gateway = options.reuse?.gateway ?? new Gateway(gatewayOptions);
  if (options.reuse) gateway.nextRun(gatewayOptions);
  try {
    if (!gateway.url) await gateway.listen();
    if (coordinator.scheduled && target.setRaceHook) {
      target.setRaceHook((info) => {
        const lane = gateway.laneOfRequest(info.requestId);
        const call = gateway.callOfRequest(info.requestId);
        const who = call === undefined ? 'other' : (callOps.get(call) ?? []).map((o) => `op${o.id}`).join('+');
        return coordinator.gate(lane, `${who} commit window ${info.api} [${info.keys.map((k) => k.value).join(',')}]`);
      });
    }
    const plan = faultPlanOf(workload.faults);
    if (plan) await target.installFaults(plan);
    const initial = snapshotOf(await target.state());
    const keyAttribute = keyAttributeOf(workload.keyKind);

    const clock = scheduled ? virtualClock() : realClock;
    const deps: InvokeDeps = { gateway, recorder, credentials, timeoutMs: options.opTimeoutMs ?? 20_000, dhis2Version: workload.dhis2Version, clock };
    const otherDeps = { baseUrl: gateway.baseUrlFor(OTHER_LANE), credentials, dhis2Version: workload.dhis2Version, keyAttribute, state: () => target.state(), recorder };

    const opOf = (id: number, phase: 'main' | 'heal', round: number, spec: OpSpec, at?: number): HistoryOp =>
      recorder.invoke(
        {
          id,
          phase,
          round,
          key: spec.key,
          keyId: identityOf(workload.keyKind, spec),
          ...(scopeOf(workload.keyKind, spec) ? { keyScope: scopeOf(workload.keyKind, spec) } : {}),
          keyValue: keySpelling(workload.keyKind, keyValueOf(workload.keyKind, spec.key), spec.variant),
          record: recordOf(workload, spec),
          client: spec.client ?? 0,
          actor: spec.other ? 'other' : 'implementation',
        },
        at,
      );

    /** One lane's ops in order: each op its own call, or (batch) all of the lane's ops in one call. */
    const runLane = async (lane: number, specs: { id: number; spec: OpSpec; phase: 'main' | 'heal'; round: number }[]): Promise<void> => {
      if (lane === OTHER_LANE) {
        for (const s of specs) {
          const op = opOf(s.id, s.phase, s.round, s.spec);
          callOps.set(op.id, [op]);
          op.call = op.id;
          gateway.beginCall(lane, op.id);
          await otherWrite(op, otherDeps);
          gateway.endCall(lane);
        }
        return;
      }
      const impl = await instances.get(lane);
      const groups = source.kind === 'batch' ? [specs] : specs.map((s) => [s]);
      for (const group of groups) {
        const at = source.kind === 'batch' ? recorder.tick() : undefined;
        const ops = group.map((s) => opOf(s.id, s.phase, s.round, s.spec, at));
        for (const op of ops) op.call = ops[0].id;
        callOps.set(ops[0].id, ops);
        const call: Call = source.kind === 'batch' ? { kind: 'batch', implementation: impl as BatchImplementation, ops } : { kind: 'single', implementation: impl as Implementation, ops: [ops[0]] };
        await invokeCall(lane, call, deps);
      }
    };

    const runRound = async (specs: { id: number; spec: OpSpec; phase: 'main' | 'heal'; round: number }[]): Promise<void> => {
      const lanes = new Map<number, typeof specs>();
      for (const s of specs) {
        const lane = s.spec.other ? OTHER_LANE : (s.spec.client ?? 0);
        lanes.set(lane, [...(lanes.get(lane) ?? []), s]);
      }
      const pending: Promise<void>[] = [];
      for (const [lane, list] of lanes) {
        coordinator.laneStarted(lane);
        pending.push(runLane(lane, list).finally(() => coordinator.laneDone(lane)));
        // start one lane at a time so the scheduler's task list is built in a fixed order
        if (coordinator.scheduled) await coordinator.until(() => coordinator.settled(lane));
      }
      await coordinator.drive(Promise.all(pending));
    };

    for (let r = 0; r < workload.rounds.length; r++) {
      await runRound(main.filter((m) => m.round === r).map((m) => ({ id: m.index, spec: m.spec, phase: 'main' as const, round: r })));
    }
    const afterMain = snapshotOf(await target.state());
    // the faults stop here: convergence is judged on a healthy server
    faultsArmed = false;
    if (plan) await target.clearFaults();

    // heal: each key the implementation upserted, once more, by the job run that last sent it
    const ambiguous = ambiguousKeys(workload);
    const lastSpec = new Map<string, OpSpec>();
    for (const m of main) if (!m.spec.other) lastSpec.set(identityOf(workload.keyKind, m.spec), m.spec);
    let healId = main.length;
    for (const [identity, spec] of [...lastSpec].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (ambiguous.has(identity)) continue;
      await runRound([{ id: healId++, spec, phase: 'heal', round: workload.rounds.length }]);
    }
    const finalState = await target.state();
    const final = snapshotOf(finalState);

    const history: History = {
      keyKind: workload.keyKind,
      keyAttribute,
      ops: recorder.ops,
      events: recorder.events,
      interleaving: coordinator.interleaving,
      snapshots: { initial, afterMain, final },
      journalAvailable: false,
      // the job checks' end state; read only for job workloads, so other runs cost what they did
      ...(hasJobs(workload) ? { jobs: jobSnapshotOf(finalState, await target.events()) } : {}),
    };
    for (const op of history.ops) op.requests = gateway.requests.get(op.call ?? op.id) ?? [];
    const journal = await target.journal();
    if (journal) {
      history.journalAvailable = true;
      attachJournal(history.ops, journal, { callOfRequest: (id) => gateway.callOfRequest(id), keyAttribute, entities: [...final, ...afterMain, ...initial] });
      settleOutcomes(history.ops);
    }
    const unhandled = (await target.unhandled()) ?? [];
    return { history, unhandled, durationMs: Date.now() - started, stalls: coordinator.stalls };
  } finally {
    target.setRaceHook?.(undefined);
    const prefix = gateway.baseUrlFor(0).replace(/c0$/, '');
    if (!options.reuse) await gateway.close();
    await target.close();
    // only this run's clients: another run may be going on next to it
    await closeCachedClients(prefix);
  }
}

