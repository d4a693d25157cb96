/**
 * Runs one scenario with one implementation on a fresh in-process emulator and records the
 * history: the same gateway, coordinator and history recorder as generated workloads, driven by
 * the scenario's hand-written steps instead of a generated workload.
 */
import { createMockDhis2, type JournalEntry, type MockDhis2, type UnhandledRequest } from '../../../mock-server/index.js';
import { SeededRandom } from '../../../mock-server/dhis2/random.js';
import { closeCachedClients } from '../../upsert/context-client.js';
import { carriesKey } from '../checker/key-view.js';
import { Coordinator } from '../coordinator.js';
import { Gateway } from '../gateway.js';
import { HistoryRecorder, snapshotOf, type History } from '../history.js';
import { invokeCall } from '../invoke.js';
import { jobSnapshotOf } from '../jobs/snapshot.js';
import type { Implementation } from '../types.js';
import type fc from 'fast-check';
import { attachJournal, buildHistories, spaceOf, type ScenarioOp, type Snapshots, type SpaceInfo } from './histories.js';
import { PolicyScheduler } from './interleaving.js';
import type { ResolvedRecord, ResolvedScenario } from './resolve.js';
import type { Scenario, UpsertStep } from './schema.js';

export interface ScenarioRun {
  ops: ScenarioOp[];
  histories: History[];
  journal: JournalEntry[];
  /** emulator request id → operation id */
  requestOps: Record<string, number>;
  /** epoch ms of the history clock's zero (timeline origin) */
  startedAt: number;
  durationMs: number;
  snapshots: Snapshots;
  /** released scheduler tasks, in order (concurrent groups) */
  interleaving: string[];
  /** >0: a concurrent group had to move on without quiescence */
  stalls: number;
  /** requests the emulator had no handler for (a real DHIS2 would have answered them) */
  unhandled: UnhandledRequest[];
  /** per rule of the scenario's fault plan: requests it matched and faults it injected in the main phase */
  faultRules: { rule: number; kind: string; matched: number; injected: number }[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function executeScenario(scenario: Scenario, resolved: ResolvedScenario, implementation: Implementation): Promise<ScenarioRun> {
  const fixture = structuredClone(resolved.catalog.fixture);
  fixture.trackedEntities = resolved.entities.flatMap((e) => e.entities);
  const mock: MockDhis2 = await createMockDhis2({
    fixture,
    dhis2Version: scenario.dhis2Version,
    uniqueness: scenario.uniqueness,
    seed: scenario.seed,
    log: () => {},
    ...(scenario.faults ? { faults: scenario.faults } : {}),
  });
  const policy = new PolicyScheduler(scenario.seed);
  // the Coordinator takes any fast-check-shaped scheduler; this one switches policy per group
  const coordinator = new Coordinator(policy as unknown as fc.Scheduler);
  const gateway = new Gateway({ handler: mock.app, coordinator });
  const windowRandom = new SeededRandom(scenario.seed ^ 0x2545f491);
  let freeGroup = false;
  const credentials = scenario.credentials ?? { username: 'admin', password: 'district' };
  try {
    await gateway.listen();
    mock.admin.setRaceHook(async (info) => {
      if (policy.mode === 'free') {
        // real concurrency: a seeded check-to-commit delay, as the emulator's own racy mode has
        if (freeGroup) await sleep(windowRandom.between(0, 8));
        return;
      }
      await coordinator.gate(gateway.laneOfRequest(info.requestId), `op${gateway.callOfRequest(info.requestId)} commit window [${info.keys.map((k) => k.value).join(',')}]`);
    });
    const startedAt = Date.now();
    const recorder = new HistoryRecorder();
    const initial = snapshotOf(mock.admin.state());
    const spaces = new Map<string, SpaceInfo>();
    const keyIds = new Map<string, number>();
    const ops: ScenarioOp[] = [];
    let nextId = 0;

    const newOp = (record: ResolvedRecord, meta: { lane: string; label: string; step: number; attempt: number; chain?: number; phase: 'main' | 'heal'; expect?: UpsertStep['expect'] }): ScenarioOp => {
      const space = spaceOf(record.matchAttribute, record.scopeOrgUnit);
      if (!spaces.has(space)) spaces.set(space, { keyAttribute: record.matchAttribute, unique: record.unique, ...(record.scopeOrgUnit ? { scopeOrgUnit: record.scopeOrgUnit } : {}) });
      const keyName = `${space}|${record.keyValue.toLowerCase()}`;
      if (!keyIds.has(keyName)) keyIds.set(keyName, keyIds.size);
      const { name, keyValue, scopeOrgUnit: _s, unique: _u, ...harnessRecord } = record;
      const id = nextId++;
      const draft = {
        id,
        chain: meta.chain ?? id,
        phase: meta.phase,
        round: meta.step,
        key: keyIds.get(keyName)!,
        keyValue,
        record: harnessRecord,
        lane: meta.lane,
        label: meta.label,
        step: meta.step,
        recordName: name,
        attempt: meta.attempt,
        ...(meta.expect !== undefined ? { expect: meta.expect } : {}),
        space,
        faults: [] as string[],
      };
      const op = recorder.invoke(draft) as ScenarioOp;
      ops.push(op);
      return op;
    };

    // one lane (job run) per client name: its operations share a base URL, so a client-side cache lives as long as the job run
    const lanes = new Map<string, number>();
    const laneOf = (name: string): number => {
      if (!lanes.has(name)) lanes.set(name, lanes.size);
      return lanes.get(name)!;
    };
    const deps = { gateway, recorder, credentials, timeoutMs: scenario.timeoutMs, dhis2Version: scenario.dhis2Version };
    const invoke = (op: ScenarioOp): Promise<void> => {
      op.call = op.id;
      op.client = laneOf(op.lane);
      return invokeCall(op.client, { kind: 'single', implementation, ops: [op] }, deps);
    };

    /** One upsert and its reruns; `first` is known synchronously, so a group can start in order. */
    const chain = (st: UpsertStep, step: number, lane_: string, label: string): { first: ScenarioOp; done: Promise<void> } => {
      const record = resolved.records.get(st.upsert)!;
      const meta = { lane: lane_, step, phase: 'main' as const, ...(st.expect !== undefined ? { expect: st.expect } : {}) };
      const first = newOp(record, { ...meta, label, attempt: 0 });
      const lane = laneOf(lane_);
      coordinator.laneStarted(lane);
      const done = (async () => {
        let op = first;
        await invoke(op);
        for (let attempt = 1; attempt <= st.retries && op.outcome !== 'ok'; attempt++) {
          op = newOp(record, { ...meta, label: `${label} (rerun ${attempt})`, attempt, chain: first.id });
          await invoke(op);
        }
      })().finally(() => coordinator.laneDone(lane));
      return { first, done };
    };

    for (const [i, st] of scenario.operations.entries()) {
      if ('wait' in st) {
        await sleep(st.wait);
      } else if ('upsert' in st) {
        policy.mode = 'free';
        freeGroup = false;
        for (let t = 0; t < st.times; t++) {
          await chain(st, i, st.client ?? 'run 1', `${st.label ?? st.upsert}${st.times > 1 ? ` #${t + 1}` : ''}`).done;
        }
      } else {
        policy.mode = st.interleaving;
        freeGroup = st.interleaving === 'free';
        const members = st.concurrent.flatMap((m) => Array.from({ length: m.times }, (_, t) => ({ m, t })));
        const chains: Promise<void>[] = [];
        for (const [k, { m, t }] of members.entries()) {
          const c = chain(m, i, m.client ? `${m.client}${m.times > 1 ? ` ${t + 1}` : ''}` : `run ${k + 1}`, `${m.label ?? m.upsert}${m.times > 1 ? ` #${t + 1}` : ''}`);
          chains.push(c.done);
          // start one at a time so the parked requests are listed in a fixed order
          if (policy.mode !== 'free') await coordinator.until(() => coordinator.settled(laneOf(c.first.lane)));
        }
        await coordinator.drive(Promise.all(chains));
        policy.flush();
        policy.mode = 'free';
      }
    }
    const afterMain = snapshotOf(mock.admin.state());
    // read before the heal phase clears the plan (and its counters)
    const faultRules = mock.admin.faults.status().rules.map((r) => ({ rule: r.index, kind: r.kind, matched: r.matched, injected: r.injected }));

    if (scenario.heal) {
      mock.admin.faults.clear();
      const last = new Map<number, ScenarioOp>();
      for (const op of ops) last.set(op.key, op);
      for (const op of [...last.values()].sort((a, b) => a.key - b.key)) {
        const record = resolved.records.get(op.recordName)!;
        const scope = record.scopeOrgUnit;
        const holders = initial.filter((e) => (!scope || e.orgUnit === scope) && carriesKey(e, record.matchAttribute, record.keyValue));
        if (holders.length > 1) continue; // ambiguous: a correct upsert refuses, healing cannot apply
        // the heal runs in the lane (job run) that last upserted the key, after the faults stopped
        const healOp = newOp(record, { lane: op.lane, label: `${record.name} (heal)`, step: -1, attempt: 0, phase: 'heal' });
        coordinator.laneStarted(laneOf(op.lane));
        await invoke(healOp).finally(() => coordinator.laneDone(laneOf(op.lane)));
      }
    }
    const finalState = mock.admin.state();
    const final = snapshotOf(finalState);
    const snapshots = { initial, afterMain, final };
    // the job checks' end state, when a record carries enrollments
    const jobs = [...resolved.records.values()].some((r) => r.enrollments?.length) ? jobSnapshotOf(finalState, mock.admin.events()) : undefined;
    for (const op of ops) op.requests = gateway.requests.get(op.id) ?? [];
    const journal = mock.runtime.journal.list();
    attachJournal(ops, journal, (id) => gateway.callOfRequest(id), final);
    return {
      ops,
      histories: buildHistories(ops, recorder.events, spaces, snapshots, coordinator.interleaving, jobs),
      journal,
      requestOps: Object.fromEntries(gateway.requestCalls),
      startedAt,
      durationMs: Date.now() - startedAt,
      snapshots,
      interleaving: coordinator.interleaving,
      stalls: coordinator.stalls,
      unhandled: mock.admin.unhandled(),
      faultRules,
    };
  } finally {
    policy.flush();
    mock.admin.setRaceHook(undefined);
    await gateway.close();
    await mock.close();
    await closeCachedClients();
  }
}
