import type { MockOptionsParsed } from './config.js';
import type { DomainContext } from './dhis2/context.js';
import { MetadataIndex } from './dhis2/metadata-index.js';
import { SeededRandom } from './dhis2/random.js';
import type { Fixture } from './dhis2/types.js';
import { UniquenessPolicy, type RaceWindowHook, type UniquenessMode } from './dhis2/uniqueness.js';
import { Dhis2Version } from './dhis2/versions.js';
import { Journal, type JournalEntry } from './journal.js';
import { EntityStore } from './store/entity-store.js';
import { Persistence } from './store/persistence.js';

export interface JournalQuery {
  since?: number;
  until?: number;
  uid?: string;
  value?: string;
}

/** One emulator instance's mutable state: domain context, journal, persistence. */
export class MockRuntime {
  readonly ctx: DomainContext;
  readonly journal: Journal;
  readonly persistence: Persistence;
  /** hooks other layers (faults) register to be reset with the emulator */
  readonly onReset: (() => void)[] = [];

  constructor(readonly options: MockOptionsParsed, readonly fixture: Fixture, readonly seed: number, raceHook?: RaceWindowHook) {
    const store = new EntityStore();
    const rng = new SeededRandom(seed);
    this.journal = new Journal(options.journalLimit);
    this.persistence = new Persistence(options.db, () => store.all());
    this.ctx = {
      version: Dhis2Version.parse(options.dhis2Version),
      meta: new MetadataIndex(fixture.metadata),
      store,
      uniqueness: new UniquenessPolicy(options.uniqueness, { delayMs: options.raceWindowMs, hook: raceHook }, new SeededRandom(seed ^ 0x5bd1e995)),
      rng,
      clock: Date.now,
      persist: () => this.persistence.save(),
    };
    store.onCommit((ev) => this.journal.recordCommit(ev));
  }

  async init(): Promise<void> {
    const persisted = await this.persistence.load();
    this.ctx.store.load(persisted ?? this.fixture.trackedEntities ?? []);
  }

  async reset(): Promise<void> {
    this.ctx.store.clear();
    this.ctx.store.load(this.fixture.trackedEntities ?? []);
    this.journal.clear();
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

  journalView(q: JournalQuery): { entries: JournalEntry[]; dropped: number; limit: number } {
    let entries = this.journal.list() as JournalEntry[];
    if (q.since !== undefined) entries = entries.filter((e) => e.at >= q.since!);
    if (q.until !== undefined) entries = entries.filter((e) => e.at <= q.until!);
    if (q.uid || q.value) {
      const requestIds = new Set<string>();
      for (const e of entries) {
        if (e.type !== 'commit') continue;
        const hit = (q.uid && e.uid === q.uid) || (q.value && e.changes.some((c) => c.after === q.value || c.before === q.value));
        if (hit && e.requestId) requestIds.add(e.requestId);
      }
      entries = entries.filter((e) =>
        e.type === 'commit' ? (q.uid ? e.uid === q.uid : false) || (q.value ? e.changes.some((c) => c.after === q.value || c.before === q.value) : false) : requestIds.has(e.requestId),
      );
    }
    return { entries, dropped: this.journal.dropped, limit: this.journal.limit };
  }
}
