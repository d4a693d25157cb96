import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DbFolderError, DbLockedError, reason } from './db-errors.js';

interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO-8601; a lock older than the machine's boot cannot be held by a running process */
  startedAt: string;
}

/** Lock files this process holds, removed on exit even when nobody called close(). */
const held = new Set<string>();
let exitHookInstalled = false;

/**
 * One emulator per `--db` file: `FILE.lock` holds `{pid, hostname, startedAt}` of the process that
 * has it. It is created complete and atomically (written to a temp file in the same folder, then
 * hard-linked into place, which fails when a lock exists), so no reader sees half a lock, and the
 * temp file proves at start that the folder is writable.
 *
 * A lock whose process is gone is stale and taken over: the PID no longer runs, or it is this
 * process's own PID but no emulator here holds the file (a container restarts its entry as PID 1
 * again), or it was written before the machine last booted. Anything else is refused with what to
 * do: a live PID, a lock from another host (its PID cannot be checked from here), or a file that
 * is no lock of ours. Breaking a stale lock renames it away first and checks that what it renamed
 * is still the stale lock, so two emulators starting at once over one stale lock do not both win.
 */
export class DbLock {
  private constructor(
    /** the lock file */
    readonly path: string,
    /** the --db file it guards, symbolic links resolved: what to read and write */
    readonly target: string,
    private readonly content: string,
  ) {}

  /**
   * Locks `dbFile`, named however the caller names it: links and relative paths are resolved
   * first, so two spellings of one file (a symlink, `./x` and `/abs/x`) share one lock.
   */
  static async acquire(dbFile: string, hooks: { beforeBreak?: () => Promise<void> } = {}): Promise<DbLock> {
    const target = await resolveDbPath(dbFile);
    const path = `${target}.lock`;
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
    const content = JSON.stringify(owner);
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, content, { flag: 'wx' });
    } catch (e) {
      throw folderError(dbFile, e);
    }
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (await place(temp, path, content)) {
          installExitHook();
          held.add(path);
          return new DbLock(path, target, content);
        }
        const found = await readLock(path);
        if (found === null) continue; // released meanwhile: try again
        const verdict = judge(found, path, dbFile);
        if (verdict !== 'stale') throw verdict;
        // tests hold one contender here while another takes the lock
        await hooks.beforeBreak?.();
        await breakStale(path, found.text);
      }
      throw new DbLockedError(`Could not take the lock ${path} for the --db file ${dbFile}: other emulators keep taking it. Start one emulator per --db file.`);
    } finally {
      await rm(temp, { force: true }).catch(() => {});
    }
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    held.delete(this.path);
    const found = await readLock(this.path).catch(() => null);
    if (found?.text === this.content) await rm(this.path, { force: true });
  }
}

/** The real path of the file, or of its folder when the file does not exist yet. */
async function resolveDbPath(dbFile: string): Promise<string> {
  try {
    return await realpath(dbFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw folderError(dbFile, e);
  }
  try {
    return join(await realpath(dirname(dbFile)), basename(dbFile));
  } catch (e) {
    throw folderError(dbFile, e);
  }
}

/** Links the complete temp file into place; false when a lock is already there. */
async function place(temp: string, path: string, content: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // file systems without hard links: an exclusive create is atomic too (a reader may briefly see it empty)
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      try {
        await writeFile(path, content, { flag: 'wx' });
        return true;
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e2;
      }
    }
    throw e;
  }
}

async function readLock(path: string): Promise<{ text: string; owner: LockOwner | null } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return { text, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isSafeInteger(o.pid) && o.pid! > 0 && typeof o.hostname === 'string' && typeof o.startedAt === 'string') return o as LockOwner;
  } catch {
    // not ours
  }
  return null;
}

function judge(found: { text: string; owner: LockOwner | null }, path: string, dbFile: string): DbLockedError | 'stale' {
  const { owner } = found;
  if (!owner) {
    return new DbLockedError(`The lock ${path} of the --db file ${dbFile} was not written by this emulator. If no emulator uses ${dbFile}, delete ${path} and start again.`);
  }
  if (owner.hostname !== hostname()) {
    return new DbLockedError(
      `The --db file ${dbFile} is in use by process ${owner.pid} on host ${owner.hostname} (lock ${path}, since ${owner.startedAt}). If that emulator is gone, delete ${path} and start again.`,
    );
  }
  const bootedAt = Date.now() - uptime() * 1000;
  if (Date.parse(owner.startedAt) < bootedAt) return 'stale';
  if (owner.pid === process.pid) {
    if (!held.has(path)) return 'stale';
    return new DbLockedError(`The --db file ${dbFile} is in use by process ${owner.pid} (this process: another emulator in it holds ${path}). Close that emulator first, or use another --db file.`);
  }
  if (!isRunning(owner.pid)) return 'stale';
  return new DbLockedError(
    `The --db file ${dbFile} is in use by process ${owner.pid} (lock ${path}, since ${owner.startedAt}). Stop that emulator first, or use another --db file; if process ${owner.pid} is no emulator, delete ${path}.`,
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it
    throw e;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== staleText) {
    // between reading and renaming, another emulator replaced the stale lock with its live one:
    // put it back (unless a third has taken the place meanwhile), and judge again
    await link(aside, path).catch(() => {});
  }
  await rm(aside, { force: true });
}

function folderError(dbFile: string, e: unknown): DbFolderError {
  const folder = dirname(dbFile);
  const code = (e as NodeJS.ErrnoException).code;
  const what =
    code === 'ENOENT' ? `the folder ${folder} does not exist` :
    code === 'ENOTDIR' ? `${folder} is not a folder` :
    `the emulator cannot write in ${folder} (${reason(e)})`;
  return new DbFolderError(`Cannot use the --db file ${basename(dbFile)} in ${folder}: ${what}. Every save would fail: create the folder or make it writable, or choose another --db path.`);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const path of held) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  });
}
