/**
 * Why the `--db` file cannot be used. Each stops the start (one line on stderr, exit 2) before
 * anything is written, so the file is left as it was. Messages are one line: what is wrong, then
 * what to do.
 */

/** The file cannot be read back, or is not (or no longer) in a format this emulator reads. */
export class PersistenceError extends Error {
  readonly code: string = 'DB_UNREADABLE';
}

/** Another emulator (or a lock this one cannot judge) holds the file. */
export class DbLockedError extends PersistenceError {
  override readonly code = 'DB_LOCKED';
}

/** The file's folder is missing or not writable: every save would fail. */
export class DbFolderError extends PersistenceError {
  override readonly code = 'DB_NOT_WRITABLE';
}

/** A save failed while running (disk full, folder removed): the commit is in memory only. */
export class DbWriteError extends PersistenceError {
  override readonly code = 'DB_WRITE_FAILED';
}

/** `ENOENT: no such file or directory, open '/x'` → `no such file or directory` */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const m = /^[A-Z]+: ([^,]+)/.exec(err?.message ?? '');
  return m ? m[1] : String(err?.message ?? e);
}
