import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { StoredEntity } from '../dhis2/types.js';

interface PersistedState {
  version: 1;
  trackedEntities: StoredEntity[];
}

/**
 * lowdb-backed persistence. In memory by default; with a file, lowdb's JSONFile (steno) writes to a
 * temp file and renames, so a crash leaves either the old or the new file, never half of one.
 * Saves are coalesced: callers await a save that started after their commit.
 */
export class Persistence {
  private readonly db: Low<PersistedState>;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(readonly file: string | undefined, private readonly snapshot: () => Iterable<StoredEntity>) {
    const adapter = file ? new JSONFile<PersistedState>(file) : new Memory<PersistedState>();
    this.db = new Low(adapter, { version: 1, trackedEntities: [] });
  }

  get durable(): boolean {
    return this.file !== undefined;
  }

  async load(): Promise<StoredEntity[] | null> {
    if (!this.file) return null;
    await this.db.read();
    return this.db.data?.trackedEntities ?? null;
  }

  /** Resolves once a write that includes every commit made before this call has completed. */
  save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    if (!this.running) {
      this.running = this.write().finally(() => { this.running = null; });
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running.then(() => {
        this.queued = null;
        return this.save();
      });
    }
    return this.queued;
  }

  private async write(): Promise<void> {
    this.db.data = { version: 1, trackedEntities: [...this.snapshot()] };
    await this.db.write();
  }
}
