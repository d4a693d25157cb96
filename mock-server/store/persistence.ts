import { Low, Memory, type Adapter } from 'lowdb';
import { AtomicTextFile } from './atomic-file.js';
import { DbWriteError, PersistenceError, reason } from './db-errors.js';
import { DbLock } from './db-lock.js';
import { parseDbFile } from './db-read.js';
import { DB_FORMAT_VERSION, type PersistedState } from './db-schema.js';

export { DbFolderError, DbLockedError, DbWriteError, PersistenceError } from './db-errors.js';
export type { PersistedState } from './db-schema.js';

export interface PersistenceOptions {
  /** fsync the temp file before and the folder after each rename (survives power loss) */
  fsync?: boolean;
}

/**
 * lowdb-backed persistence. In memory by default; with a file, a lowdb adapter over
 * {@link AtomicTextFile} (temp file + rename, optional fsync), so a crash leaves either the previous
 * or the new file. Compact JSON: the state is rewritten whole on every save, and indentation would
 * double the bytes.
 *
 * `open()` takes the file's lock ({@link DbLock}: one emulator per file; it also proves the folder
 * writable) and reads the file through the schema (db-schema.ts): a file that does not match is
 * refused and left as it is. An empty (0-byte) file counts as new.
 *
 * Saves are coalesced: at most one write runs and at most one waits; a caller resolves once a write
 * that started after its call has finished, so "await save() after commit" means "commit on disk".
 * Importers await it before answering, which makes every acknowledged write durable.
 */
export class Persistence {
  private adapter: Adapter<PersistedState>;
  private readonly db: Low<PersistedState>;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private lock: DbLock | undefined;
  private closed = false;

  constructor(
    readonly file: string | undefined,
    private readonly snapshot: () => PersistedState,
    private readonly options: PersistenceOptions = {},
  ) {
    // a file's adapter comes with its lock (open), which knows the file's real path
    this.adapter = new Memory<PersistedState>();
    this.db = new Low(this.adapter, empty());
  }

  get durable(): boolean {
    return this.file !== undefined;
  }

  /** Locks and reads the file: its state, or null when there is none yet (or no file at all). */
  async open(): Promise<PersistedState | null> {
    if (!this.file) return null;
    this.lock = await DbLock.acquire(this.file);
    this.adapter = stateFile(this.lock.target, this.file, this.options.fsync ?? false);
    this.db.adapter = this.adapter;
    try {
      return await this.adapter.read();
    } catch (e) {
      await this.releaseLock();
      if (e instanceof PersistenceError) throw e;
      throw new PersistenceError(`Cannot read the --db file ${this.file}: ${reason(e)}. It was left untouched: check its permissions, or choose another --db file.`);
    }
  }

  /** Resolves once a write that includes every commit made before this call has completed. */
  save(): Promise<void> {
    if (!this.lock || this.closed) return Promise.resolve();
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

  /** A last save, then the lock goes; later saves do nothing (the file may belong to another emulator by then). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.save();
    } finally {
      this.closed = true;
      await this.releaseLock();
    }
  }

  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = undefined;
    await lock?.release();
  }

  private async write(): Promise<void> {
    this.db.data = this.snapshot();
    try {
      await this.db.write();
    } catch (e) {
      throw new DbWriteError(`Saving the --db file ${this.file} failed (${reason(e)}): the last commits are in memory only. Free disk space or fix the folder's permissions; the next write saves everything again.`);
    } finally {
      // the snapshot array is only needed while it is written
      this.db.data = empty();
    }
  }
}

const empty = (): PersistedState => ({ version: DB_FORMAT_VERSION, trackedEntities: [] });

/** `target`: the real path (links resolved) that is read and replaced; `shown`: the --db as given, for messages. */
function stateFile(target: string, shown: string, fsync: boolean): Adapter<PersistedState> {
  const text = new AtomicTextFile(target, fsync);
  return {
    async read() {
      const content = await text.read();
      // an empty file holds nothing to lose: `mktemp` made it, or a first save never happened
      if (content === null || content === '') return null;
      return parseDbFile(content, shown);
    },
    write: (state) => text.write(JSON.stringify(state)),
  };
}
