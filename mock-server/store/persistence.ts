import { Low, Memory } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { StoredEntity, StoredEvent } from '../dhis2/types.js';

interface PersistedState {
  version: 1;
  /** each with its enrollments inside */
  trackedEntities: StoredEntity[];
  /** absent in files written before events were modelled */
  events?: StoredEvent[];
}

/** What a `--db` file holds, as the runtime loads it. */
export interface PersistedTables {
  trackedEntities: StoredEntity[];
  events: StoredEvent[];
}

/** The `--db` file cannot be read back: the emulator refuses to start rather than lose it. */
export class PersistenceError extends Error {
  readonly code = 'DB_UNREADABLE';
}

/**
 * lowdb-backed persistence. In memory by default; with a file, lowdb's DataFile writes through
 * steno, which writes a temp file next to it and renames it over the old one, so a crash (even
 * SIGKILL mid-write) leaves either the previous or the new file, never half of one. Compact JSON:
 * the state is rewritten whole on every save, and indentation would double the bytes.
 *
 * Saves are coalesced: at most one write runs and at most one waits; a caller resolves once a write
 * that started after its call has finished, so "await save() after commit" means "commit on disk".
 * Importers await it before answering, which makes every acknowledged write durable.
 */
export class Persistence {
  private readonly db: Low<PersistedState>;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    readonly file: string | undefined,
    private readonly snapshot: () => Iterable<StoredEntity>,
    private readonly eventSnapshot: () => Iterable<StoredEvent> = () => [],
  ) {
    const adapter = file ? new DataFile<PersistedState>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }) : new Memory<PersistedState>();
    this.db = new Low(adapter, { version: 1, trackedEntities: [] });
  }

  get durable(): boolean {
    return this.file !== undefined;
  }

  async load(): Promise<PersistedTables | null> {
    if (!this.file) return null;
    try {
      await this.db.read();
    } catch (e) {
      throw new PersistenceError(
        `Cannot read the --db file ${this.file}: ${(e as Error).message}. Restore it from a backup or delete it to start from the fixture.`,
      );
    }
    const entities = this.db.data?.trackedEntities;
    if (entities !== undefined && !Array.isArray(entities)) {
      throw new PersistenceError(`The --db file ${this.file} has no "trackedEntities" array; it was not written by this emulator.`);
    }
    const events = this.db.data?.events;
    if (events !== undefined && !Array.isArray(events)) {
      throw new PersistenceError(`The --db file ${this.file} has an "events" value that is not an array; it was not written by this emulator.`);
    }
    return entities === undefined ? null : { trackedEntities: entities, events: events ?? [] };
  }

  /** Resolves once a write that includes every commit made before this call has completed. */
  save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    if (!this.running) {
      const run = this.write();
      this.running = run;
      // settle() runs whether the write failed or not, so one failed write never wedges later saves
      const settle = () => {
        if (this.running === run) this.running = null;
      };
      run.then(settle, settle);
      return run;
    }
    if (!this.queued) {
      const next = () => {
        this.queued = null;
        return this.save();
      };
      this.queued = this.running.then(next, next);
    }
    return this.queued;
  }

  private async write(): Promise<void> {
    this.db.data = { version: 1, trackedEntities: [...this.snapshot()], events: [...this.eventSnapshot()] };
    try {
      await this.db.write();
    } finally {
      // the snapshot array is only needed while it is written
      this.db.data = { version: 1, trackedEntities: [] };
    }
  }
}
