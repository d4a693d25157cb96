import type { MockOptionsParsed } from './config.js';
import type { DomainContext } from './dhis2/context.js';
import { MetadataIndex } from './dhis2/metadata-index.js';
import { SeededRandom } from './dhis2/random.js';
import type { Fixture } from './dhis2/types.js';
import { UniquenessPolicy, type RaceWindowHook, type UniquenessMode } from './dhis2/uniqueness.js';
import { Dhis2Version } from './dhis2/versions.js';
import { FaultEngine } from './faults/engine.js';
import { Journal, type JournalQuery, type JournalView } from './journal.js';
import { CommitFeed } from './store/commit-feed.js';
import { DB_FORMAT_VERSION, type PersistedState } from './store/db-schema.js';
import { EntityStore } from './store/entity-store.js';
import { UnhandledLog } from './unhandled.js';
import { EventStore } from './store/event-store.js';
import { Persistence } from './store/persistence.js';

export type { JournalQuery } from './journal.js';

const raceWindowRandom = (seed: number) => new SeededRandom(seed ^ 0x5bd1e995);

/** One emulator instance's mutable state: domain context, journal, persistence. */
export class MockRuntime {
  readonly ctx: DomainContext;
  readonly journal: Journal;
  readonly persistence: Persistence;
  /** the installed fault plan and its counters; cleared by reset */
  readonly faults: FaultEngine;
  /** requests answered "No handler found" since the last reset */
  readonly unhandled = new UnhandledLog();
  /** hooks other layers (faults) register to be reset with the emulator */
  readonly onReset: (() => void)[] = [];

  constructor(readonly options: MockOptionsParsed, readonly fixture: Fixture, readonly seed: number, raceHook?: RaceWindowHook) {
    const feed = new CommitFeed();
    const store = new EntityStore(Date.now, feed);
    const events = new EventStore(feed);
    this.journal = new Journal(options.journalLimit, Date.now, options.journalMaxBytes);
    this.persistence = new Persistence(options.db, () => this.snapshot(), { fsync: options.dbFsync });
    this.ctx = {
      version: Dhis2Version.parse(options.dhis2Version),
      meta: new MetadataIndex(fixture.metadata),
      store,
      events,
      uniqueness: new UniquenessPolicy(options.uniqueness, { delayMs: options.raceWindowMs, hook: raceHook }, raceWindowRandom(seed)),
      rng: this.uidRandom(),
      clock: Date.now,
      persist: () => this.persistence.save(),
    };
    feed.onCommit((ev) => this.journal.recordCommit(ev));
    this.faults = new FaultEngine(seed);
    if (options.faults !== undefined) this.faults.install(options.faults);
    this.onReset.push(() => this.faults.clear());
    this.onReset.push(() => this.unhandled.clear());
  }

  /** Locks and loads `--db` (refusing a file it cannot vouch for), or loads the fixture. */
  async init(): Promise<void> {
    const persisted = await this.persistence.open();
    this.ctx.store.load(persisted?.trackedEntities ?? this.fixture.trackedEntities ?? []);
    this.ctx.events.load(persisted ? (persisted.events ?? []) : (this.fixture.events ?? []));
    // same seed as the run that saved: continue its UID sequence instead of replaying it
    const saved = persisted?.uidGenerator;
    if (saved && saved.seed === this.seed) this.ctx.rng = this.uidRandom(saved.state);
  }

  async reset(): Promise<void> {
    this.ctx.store.clear();
    this.ctx.events.clear();
    this.ctx.store.load(this.fixture.trackedEntities ?? []);
    this.ctx.events.load(this.fixture.events ?? []);
    this.journal.clear();
    // re-seed, so a run after reset replays like one on a fresh emulator (same UIDs, same windows)
    this.ctx.rng = this.uidRandom();
    this.ctx.uniqueness = new UniquenessPolicy(this.ctx.uniqueness.mode, this.ctx.uniqueness.window, raceWindowRandom(this.seed));
    for (const hook of this.onReset) hook();
    await this.persistence.save();
  }

  configure(change: { uniqueness?: UniquenessMode; dhis2Version?: string; raceWindowMs?: [number, number] }): void {
    if (change.uniqueness) this.ctx.uniqueness.mode = change.uniqueness;
    if (change.dhis2Version) this.ctx.version = Dhis2Version.parse(change.dhis2Version);
    if (change.raceWindowMs) this.ctx.uniqueness.window.delayMs = change.raceWindowMs;
  }

  setRaceHook(hook: RaceWindowHook | undefined): void {
    this.ctx.uniqueness.window.hook = hook;
  }

  journalView(q: JournalQuery): JournalView {
    return this.journal.query(q);
  }

  /** Server-minted UIDs: seeded, and never one the store holds (a restart, a file from elsewhere). */
  private uidRandom(state?: number): SeededRandom {
    // entities, their enrollments and events: every table whose rows get server-minted UIDs
    return new SeededRandom(this.seed, state, (uid) => this.ctx.store.uidInUse(uid) || this.ctx.store.enrollment(uid) !== undefined || this.ctx.events.has(uid));
  }

  /** What `--db` holds (db-schema.ts). */
  private snapshot(): PersistedState {
    return {
      version: DB_FORMAT_VERSION,
      uidGenerator: { seed: this.seed, state: this.ctx.rng.state },
      trackedEntities: [...this.ctx.store.all()],
      events: [...this.ctx.events.all()],
    };
  }
}
