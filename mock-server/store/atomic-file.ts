import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A text file replaced atomically: written whole to `.NAME.tmp` next to it, then renamed over it,
 * so a crash (even SIGKILL mid-write) leaves the old file or the new one, never half of one (what
 * lowdb's steno does). With `fsync`, the temp file's data reaches the disk before the rename and the
 * folder's new entry after it, so a power loss cannot undo an acknowledged save either; the cost is
 * a row of `npm run bench`. One writer per file (the --db lock), hence one fixed temp name.
 */
export class AtomicTextFile {
  readonly temp: string;

  constructor(readonly file: string, private readonly fsync: boolean) {
    this.temp = join(dirname(file), `.${basename(file)}.tmp`);
  }

  /** The text, or null when there is no file yet. */
  async read(): Promise<string | null> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async write(text: string): Promise<void> {
    try {
      const handle = await open(this.temp, 'w');
      try {
        await handle.writeFile(text);
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(this.temp, this.file);
    } catch (e) {
      await rm(this.temp, { force: true }).catch(() => {});
      throw e;
    }
    if (this.fsync) await syncFolder(dirname(this.file));
  }
}

/** fsync of a directory makes a rename in it durable (POSIX); Windows cannot open one for it. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
