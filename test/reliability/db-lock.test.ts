/**
 * One emulator per `--db` file (issue 15, item 2): two servers on one file both answered 200 and
 * the file kept one server's writes. Now the first holds an exclusive lock (`FILE.lock`, naming its
 * PID); a second refuses to start and names that PID. A lock left by a process that is gone (SIGKILL,
 * or a PID reused by a later incarnation of this very process, as PID 1 is in every container)
 * is taken over, so a crash never blocks the next start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockDhis2 } from '../../mock-server/index.js';
import { startMockServer } from '../../mock-server/server.js';
import { DbLock } from '../../mock-server/store/db-lock.js';
import { ADMIN } from '../mock-server/helpers.js';
import { attemptChildStart, startChildServer } from './support/child-server.js';
import { createBody, legacyAcknowledged, TEI_PATH } from './support/people.js';

const dir = mkdtempSync(join(tmpdir(), 'dhis2-dblock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lockOf = (file: string) => JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as { pid: number; hostname: string };

/** A PID that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

async function create(url: string, uid: string, nid: string): Promise<boolean> {
  const res = await request(`${url}${TEI_PATH}`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify(createBody(uid, nid, '+23270000001')),
  });
  return legacyAcknowledged(res.statusCode, await res.body.json());
}

describe('an exclusive lock on the --db file (item 2)', () => {
  it('a second server on the same file refuses to start, naming the PID that holds it; the first keeps serving and saving', async () => {
    const file = join(dir, 'shared.json');
    const first = await startChildServer({ port: 0, db: file, seed: 1, uniqueness: 'atomic' });
    try {
      expect(lockOf(file)).toMatchObject({ pid: first.child.pid, hostname: hostname() });
      const second = await attemptChildStart({ port: 0, db: file, seed: 2, uniqueness: 'atomic' });
      expect(second.ready, second.stdout).toBe(false);
      expect(second.code).toBe(2);
      const lines = second.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`process ${first.child.pid}`);
      expect(lines[0]).toContain(`${file}.lock`);
      expect(await create(first.url, 'Lock000001a', 'LOCK-1')).toBe(true);
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });
    }
    // a clean stop releases the lock, and the write is in the file
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain('Lock000001a');
    const next = await attemptChildStart({ port: 0, db: file, seed: 3 });
    expect(next.ready, next.stderr).toBe(true);
  });

  it('a lock left by a killed server does not block the next start, which takes it over', async () => {
    const file = join(dir, 'killed.json');
    const first = await startChildServer({ port: 0, db: file, seed: 1 });
    first.child.kill('SIGKILL');
    await first.exited;
    expect(lockOf(file).pid).toBe(first.child.pid);
    const second = await startChildServer({ port: 0, db: file, seed: 1 });
    try {
      expect(lockOf(file).pid).toBe(second.child.pid);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('in one process: a second emulator on the same file is refused until the first closes', async () => {
    const file = join(dir, 'in-process.json');
    const first = await createMockDhis2({ db: file, seed: 1, log: () => {} });
    await expect(createMockDhis2({ db: file, seed: 1, log: () => {} })).rejects.toMatchObject({
      code: 'DB_LOCKED',
      message: expect.stringContaining(`process ${process.pid}`),
    });
    await first.close();
    const second = await createMockDhis2({ db: file, seed: 1, log: () => {} });
    expect(lockOf(file).pid).toBe(process.pid);
    await second.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it.each([
    ['a process that has exited', () => deadPid()],
    // a container restarts its entry as PID 1 again: the lock names "us", but no emulator here holds it
    ['this PID, held by no emulator of this process (an earlier incarnation)', () => process.pid],
  ])('a stale lock naming %s is taken over', async (_name, pid) => {
    const file = join(dir, `stale-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: pid(), hostname: hostname(), startedAt: new Date().toISOString() }));
    const mock = await createMockDhis2({ db: file, seed: 1, log: () => {} });
    expect(lockOf(file).pid).toBe(process.pid);
    await mock.close();
  });

  it.each([
    ['another host', JSON.stringify({ pid: 1, hostname: 'some-other-host', startedAt: '2026-01-01T00:00:00.000Z' }), /some-other-host/],
    ['no lock of ours (unreadable content)', 'garbage', /not written by this emulator/],
  ])('a lock from %s is not guessed at: refused with what to do', async (_name, content, message) => {
    const file = join(dir, `foreign-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(`${file}.lock`, content);
    await expect(createMockDhis2({ db: file, seed: 1, log: () => {} })).rejects.toMatchObject({ code: 'DB_LOCKED', message: expect.stringMatching(message) });
    await expect(createMockDhis2({ db: file, seed: 1, log: () => {} })).rejects.toThrow(/delete .*\.lock/);
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(content);
    expect(existsSync(file)).toBe(false);
  });

  it('a lock written before the machine last booted is stale, whatever its PID', async () => {
    const file = join(dir, 'before-boot.json');
    // PID 1 always runs; the lock still cannot be its
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, hostname: hostname(), startedAt: '1999-01-01T00:00:00.000Z' }));
    const mock = await createMockDhis2({ db: file, seed: 1, log: () => {} });
    expect(lockOf(file).pid).toBe(process.pid);
    await mock.close();
  });

  it('emulators starting together over one stale lock: exactly one gets the file', async () => {
    const file = join(dir, 'contended.json');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: new Date().toISOString() }));
    const starts = await Promise.allSettled([1, 2, 3].map((seed) => createMockDhis2({ db: file, seed, log: () => {} })));
    const won = starts.filter((s) => s.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const s of starts) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'DB_LOCKED' });
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof createMockDhis2>>>).value.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('a contender that judged the lock stale just before another took it over does not break the live lock', async () => {
    const file = join(dir, 'interleaved.json');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: new Date().toISOString() }));
    let resume!: () => void;
    const held = new Promise<void>((r) => (resume = r));
    let judged!: () => void;
    const atBreak = new Promise<void>((r) => (judged = r));
    // A read the stale lock and is about to break it…
    const a = DbLock.acquire(file, { beforeBreak: () => (judged(), held) });
    await atBreak;
    // …when B breaks it and takes the file
    const b = await DbLock.acquire(file);
    const bLock = readFileSync(`${file}.lock`, 'utf8');
    resume();
    await expect(a).rejects.toMatchObject({ code: 'DB_LOCKED' });
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(bLock);
    await b.release();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('one file under two names (a symbolic link): one lock, and saves go to the file, not over the link', async () => {
    const file = join(dir, 'target.json');
    const alias = join(dir, 'alias.json');
    writeFileSync(file, JSON.stringify({ version: 1, trackedEntities: [] }));
    symlinkSync(file, alias);
    const first = await createMockDhis2({ db: alias, seed: 1, uniqueness: 'atomic', log: () => {} });
    expect(lockOf(file).pid).toBe(process.pid);
    await expect(createMockDhis2({ db: file, seed: 1, log: () => {} })).rejects.toMatchObject({ code: 'DB_LOCKED' });
    const url = await first.listen();
    expect(await create(url, 'Link000001a', 'LINK-1')).toBe(true);
    await first.close();
    expect(lstatSync(alias).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Link000001a');
  });

  it('a server that cannot listen (port taken) lets go of the lock', async () => {
    const file = join(dir, 'port-taken.json');
    const other = await startMockServer({ seed: 1, log: () => {} });
    try {
      const port = Number(new URL(other.url).port);
      await expect(startMockServer({ db: file, port, seed: 1, log: () => {} })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(existsSync(`${file}.lock`)).toBe(false);
    } finally {
      await other.stop();
    }
  });
});
