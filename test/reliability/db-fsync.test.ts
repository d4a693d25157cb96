/**
 * `--db-fsync` (issue 15, item 10): saves were safe against SIGKILL (temp file + rename) but not
 * against power loss, which can lose a rename whose data and directory entry never reached the
 * disk. With `dbFsync` every save fsyncs the temp file before the rename and the folder after it;
 * without it, neither (the cost is in `npm run bench`). Observed by recording the file system calls.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockDhis2 } from '../../mock-server/index.js';
import { ADMIN } from '../mock-server/helpers.js';
import { createBody, TEI_PATH } from './support/people.js';

const calls = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (path, ...rest) => {
    const handle = await real.open(path, ...rest);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      calls.push(`sync ${String(path)}`);
      return sync();
    };
    return handle;
  };
  const rename: typeof real.rename = async (from, to) => {
    calls.push(`rename ${String(from)} ${String(to)}`);
    return real.rename(from, to);
  };
  return { ...real, open, rename, default: { ...real, open, rename } };
});

const dir = mkdtempSync(join(tmpdir(), 'dhis2-fsync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  calls.length = 0;
});

async function oneAcknowledgedWrite(dbFsync: boolean | undefined, file: string): Promise<void> {
  const mock = await createMockDhis2({ db: file, dbFsync, seed: 1, uniqueness: 'atomic', log: () => {} });
  calls.length = 0;
  await request(mock.app).post(TEI_PATH).set('Authorization', ADMIN).send(createBody('Fsync00001a', 'FSYNC-1', '+23270000011')).expect(200);
  await mock.close();
  expect(readFileSync(file, 'utf8')).toContain('Fsync00001a');
}

describe('--db-fsync (item 10)', () => {
  it('on: the temp file is fsynced before the rename, the folder after it, on every save', async () => {
    const file = join(dir, 'fsync.json');
    await oneAcknowledgedWrite(true, file);
    const tmp = join(dirname(file), `.${basename(file)}.tmp`);
    const saves = calls.filter((c) => c.startsWith('rename')).length;
    expect(saves).toBeGreaterThanOrEqual(1);
    expect(calls.slice(0, 3)).toEqual([`sync ${tmp}`, `rename ${tmp} ${file}`, `sync ${dirname(file)}`]);
    expect(calls).toHaveLength(3 * saves);
  });

  it.each([[false], [undefined]])('off (%s): a rename, no fsync', async (dbFsync) => {
    const file = join(dir, `plain-${String(dbFsync)}.json`);
    await oneAcknowledgedWrite(dbFsync, file);
    expect(calls.some((c) => c.startsWith('rename'))).toBe(true);
    expect(calls.filter((c) => c.startsWith('sync'))).toEqual([]);
  });
});
