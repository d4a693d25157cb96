/**
 * Where a run executes: a fresh in-process emulator (the default, with the scheduler driving its
 * commit window), or an emulator already running at a URL (`dhis2-harness serve`), reset and
 * configured through its admin API and reached through the harness's gateway as a proxy.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMockDhis2, DEMO_IDS, type FaultPlanInput, type JournalEntry, type MockDhis2, type RaceWindowHook, type StoredEntity, type StoredEvent, type UnhandledRequest } from '../../mock-server/index.js';
import { deterministicUid } from '../uid.js';
import { derivedUidOf, orgUnitOf, preexistingAttributes } from './keys.js';
import type { Workload } from './types.js';

export interface RunTarget {
  /** what the gateway forwards each request to */
  handler(req: IncomingMessage, res: ServerResponse): void;
  state(): Promise<StoredEntity[]>;
  /** every stored event (soft-deleted included); the entities of `state()` hold their enrollments */
  events(): Promise<StoredEvent[]>;
  /** undefined when the server keeps no journal */
  journal(): Promise<readonly JournalEntry[] | undefined>;
  /** arm a fault plan (the workload's aimed faults) / disarm it before the heal phase */
  installFaults(plan: FaultPlanInput): Promise<void>;
  clearFaults(): Promise<void>;
  /** requests the emulator had no handler for during the run (undefined: the server cannot tell) */
  unhandled(): Promise<UnhandledRequest[] | undefined>;
  /** in-process only: the scheduler's hook into the racy commit window */
  setRaceHook?(hook: RaceWindowHook | undefined): void;
  close(): Promise<void>;
}

const FIXED_TIME = '2024-01-01T00:00:00.000';

/** The entities that exist before the run; UIDs depend only on their position in the workload (or are the derived one). */
export function preexistingEntities(w: Workload): StoredEntity[] {
  return w.preexisting.flatMap((p, i) =>
    Array.from({ length: p.copies }, (_, copy) => ({
      uid: p.derivedUid && copy === 0 ? derivedUidOf(w, p) : deterministicUid('harness-preexisting', String(i), String(copy)),
      trackedEntityType: DEMO_IDS.trackedEntityType,
      orgUnit: orgUnitOf(p.orgUnit),
      created: FIXED_TIME,
      lastUpdated: FIXED_TIME,
      inactive: false,
      deleted: p.deleted === true,
      potentialDuplicate: false,
      attributes: preexistingAttributes(w, p).map((a) => ({ ...a, created: FIXED_TIME, lastUpdated: FIXED_TIME })),
      enrollments: [],
      programOwners: [],
    })),
  );
}

function targetOf(mock: MockDhis2, close: () => Promise<void>): RunTarget {
  return {
    handler: mock.app,
    state: async () => mock.admin.state(),
    events: async () => mock.admin.events(),
    journal: async () => mock.runtime.journal.list(),
    installFaults: async (plan) => void mock.admin.faults.install(plan),
    clearFaults: async () => mock.admin.faults.clear(),
    setRaceHook: (hook) => mock.admin.setRaceHook(hook),
    unhandled: async () => mock.admin.unhandled(),
    close,
  };
}

export async function inProcessTarget(w: Workload, seed: number, raceWindowMs: [number, number]): Promise<RunTarget> {
  const mock = await createMockDhis2({ dhis2Version: w.dhis2Version, uniqueness: w.uniqueness, seed, raceWindowMs, log: () => {} });
  mock.store.load(preexistingEntities(w));
  return targetOf(mock, () => mock.close());
}

/**
 * One in-process emulator reused run after run: a reset (which re-seeds it, so a run on it is the
 * run a fresh emulator would give), the run's version, uniqueness mode and race window, then its
 * pre-existing entities. Building an emulator per run costs more than most runs.
 */
export class EmulatorPool {
  private mock?: Promise<MockDhis2>;
  constructor(private readonly seed: number) {}

  async target(w: Workload, raceWindowMs: [number, number]): Promise<RunTarget> {
    // a run journals a few hundred entries; a small ring is cheap to clear
    this.mock ??= createMockDhis2({ seed: this.seed, log: () => {}, journalLimit: 20_000 });
    const mock = await this.mock;
    await mock.admin.reset();
    mock.admin.configure({ dhis2Version: w.dhis2Version, uniqueness: w.uniqueness, raceWindowMs });
    mock.store.load(preexistingEntities(w));
    return targetOf(mock, async () => undefined);
  }

  async close(): Promise<void> {
    const mock = this.mock;
    this.mock = undefined;
    if (mock) await (await mock).close();
  }
}
