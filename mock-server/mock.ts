import type { Server } from 'node:http';
import type express from 'express';
import { buildApp } from './app.js';
import { parseMockOptions, type MockOptionsInput } from './config.js';
import { checkInvariants, type InvariantReport } from './dhis2/invariants.js';
import { enrollmentRows, type EnrollmentRow } from './dhis2/enrollments/rows.js';
import type { Fixture, StoredEntity, StoredEvent } from './dhis2/types.js';
import type { RaceWindowHook, UniquenessMode } from './dhis2/uniqueness.js';
import type { FaultPlan, FaultPlanInput, RuleStatus } from './faults/index.js';
import { demoFixture } from './fixtures/demo.js';
import { listenHttp, type ListeningServer } from './http-server.js';
import type { JournalQuery, JournalView } from './journal.js';
import { MockRuntime } from './runtime.js';
import type { EntityStore } from './store/entity-store.js';
import type { UnhandledRequest } from './unhandled.js';
import type { EventStore } from './store/event-store.js';

export interface CreateMockOptions extends MockOptionsInput {
  /** metadata + initial entities; the built-in demo fixture when absent */
  fixture?: Fixture;
  /** drives the racy window deterministically (e.g. from fast-check's scheduler) */
  raceHook?: RaceWindowHook;
  /** where unexpected errors are logged (default console.error) */
  log?: (message: string) => void;
  /** a fault plan installed at start (README "Fault plans"); a bad plan throws InvalidFaultPlanError */
  faults?: FaultPlanInput;
}

export interface MockDhis2 {
  app: express.Express;
  /** http://127.0.0.1:PORT once listening */
  readonly url: string;
  readonly seed: number;
  /** tracked entities, their enrollments inside */
  store: EntityStore;
  events: EventStore;
  runtime: MockRuntime;
  listen(port?: number, host?: string): Promise<string>;
  /** the HTTP server once listening */
  readonly server: Server | undefined;
  /**
   * Stops gracefully: refuses new connections, lets requests in flight finish and answer (up to
   * `drainMs`, default 5000), saves `--db` a last time and releases its lock.
   */
  close(options?: { drainMs?: number }): Promise<void>;
  admin: {
    reset(): Promise<void>;
    state(): StoredEntity[];
    /** every stored enrollment (soft-deleted included) with its entity's UID */
    enrollments(): EnrollmentRow[];
    /** every stored event (soft-deleted included) */
    events(): StoredEvent[];
    /**
     * `attributes`: entity keys beside every unique attribute; `eventKeyDataElements`: data
     * elements holding an event's source key (duplicate events per entity, stage and key)
     */
    invariants(attributes?: string[], options?: { eventKeyDataElements?: string[] }): InvariantReport;
    configure(change: { uniqueness?: UniquenessMode; dhis2Version?: string; raceWindowMs?: [number, number] }): void;
    setRaceHook(hook: RaceWindowHook | undefined): void;
    journal(query?: JournalQuery): JournalView;
    /** requests answered "No handler found" since the last reset, grouped by method and path */
    unhandled(): UnhandledRequest[];
    faults: {
      /** validates (throws InvalidFaultPlanError) and installs a plan, replacing any other */
      install(plan: FaultPlanInput): FaultPlan;
      clear(): void;
      status(): { installed: boolean; seed: number; rules: RuleStatus[] };
    };
  };
}

/** Builds an emulator in-process. Options are validated; a bad option throws InvalidOptionsError. */
export async function createMockDhis2(input: CreateMockOptions = {}): Promise<MockDhis2> {
  const { fixture, raceHook, log, ...rest } = input;
  const options = parseMockOptions(rest);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runtime = new MockRuntime(options, fixture ?? demoFixture(), seed, raceHook);
  await runtime.init();
  const app = buildApp(runtime, log);
  let http: ListeningServer | undefined;
  let closed: Promise<void> | undefined;
  return {
    app,
    get url() {
      if (!http) throw new Error('The emulator is not listening yet: call listen() first.');
      return http.url;
    },
    get server() {
      return http?.server;
    },
    seed,
    store: runtime.ctx.store,
    events: runtime.ctx.events,
    runtime,
    async listen(port = options.port, host = options.host) {
      if (http) throw new Error(`The emulator is already listening at ${http.url}.`);
      http = await listenHttp(app, port, host);
      return http.url;
    },
    close({ drainMs = 5000 } = {}) {
      closed ??= (async () => {
        await http?.drain(drainMs);
        // every commit made by a request that got to run is in this save
        await runtime.persistence.close();
      })();
      return closed;
    },
    admin: {
      reset: () => runtime.reset(),
      state: () => [...runtime.ctx.store.all()],
      enrollments: () => enrollmentRows(runtime.ctx.store),
      events: () => [...runtime.ctx.events.all()],
      invariants: (attributes = [], options = {}) =>
        checkInvariants(runtime.ctx.meta, runtime.ctx.store, attributes, { events: runtime.ctx.events, eventKeyDataElements: options.eventKeyDataElements }),
      configure: (change) => runtime.configure(change),
      setRaceHook: (hook) => runtime.setRaceHook(hook),
      journal: (query = {}) => runtime.journalView(query),
      unhandled: () => runtime.unhandled.list(),
      faults: {
        install: (plan) => runtime.faults.install(plan),
        clear: () => runtime.faults.clear(),
        status: () => runtime.faults.status(),
      },
    },
  };
}
