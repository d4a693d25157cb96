/**
 * A `--db` file the emulator cannot vouch for is refused, never replaced (issue 15, items 1, 3, 8):
 * a wrong shape, a future format version or a malformed entity stops the start with one line on
 * stderr and exit 2, and the file keeps every byte; so does a folder the emulator cannot write in
 * (missing, or read-only for the user the emulator runs as). An empty file is a new one.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createMockDhis2, PersistenceError } from '../../mock-server/index.js';
import { ADMIN } from '../mock-server/helpers.js';
import { attemptChildStart, canRunAs, type ChildStartAttempt } from './support/child-server.js';
import { createBody, storedPerson, TEI_PATH } from './support/people.js';

const dir = mkdtempSync(join(tmpdir(), 'dhis2-dbfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Refused: exit 2, no ready line, exactly one line on stderr (no stack trace) that matches. */
function expectRefused(attempt: ChildStartAttempt, message: RegExp): void {
  expect(attempt.ready, `the emulator started:\n${attempt.stdout}${attempt.stderr}`).toBe(false);
  expect(attempt.code).toBe(2);
  const lines = attempt.stderr.split('\n').filter((l) => l !== '');
  expect(lines, attempt.stderr).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^\s+at /);
  expect(lines[0]).toMatch(message);
}

const person = storedPerson(1);
const { attributes: _a, ...withoutAttributes } = person;

const SHAPES: [name: string, text: string, message: RegExp][] = [
  ['another program\'s data', '{"patients":[{"id":1,"name":"Ama"}]}', /no "version".*patients/],
  ['an empty object', '{}', /no "version"/],
  ['null', 'null', /expected a JSON object.*found null/],
  ['an array', '[]', /expected a JSON object.*found an array/],
  ['a string', '"hello"', /expected a JSON object.*found a string/],
  ['a number', '42', /expected a JSON object.*found a number/],
  ['a future format version', '{"version":2,"trackedEntities":[]}', /format version 2; this emulator reads version 1/],
  ['an unknown version', '{"version":"1","trackedEntities":[]}', /"version" is "1"/],
  ['version 1 without trackedEntities', '{"version":1}', /trackedEntities: /],
  ['an entity without attributes', JSON.stringify({ version: 1, trackedEntities: [withoutAttributes] }), /trackedEntities\[0\]\.attributes: /],
  ['an attribute value that is a number', JSON.stringify({ version: 1, trackedEntities: [{ ...person, attributes: [{ ...person.attributes[0], value: 7 }] }] }), /trackedEntities\[0\]\.attributes\[0\]\.value: /],
  ['an entity with no valid UID', JSON.stringify({ version: 1, trackedEntities: [storedPerson(0), { ...person, uid: 'not a uid' }] }), /trackedEntities\[1\]\.uid: /],
  ['a created date that is no date', JSON.stringify({ version: 1, trackedEntities: [{ ...person, created: 'yesterday' }] }), /trackedEntities\[0\]\.created: /],
  ['two entities with one UID', JSON.stringify({ version: 1, trackedEntities: [person, { ...person, orgUnit: 'g8upMTyEZGZ' }] }), /two entities with UID P0000000001/],
  ['truncated JSON', '{"version":1,"trackedEntities":[{"uid":', /not valid JSON/],
];

function badFile(text: string): { file: string; mtime: number } {
  const file = join(dir, `shape-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  return { file, mtime: statSync(file).mtimeMs };
}

function expectUntouched(file: string, text: string, mtime: number): void {
  expect(readFileSync(file, 'utf8')).toBe(text);
  expect(statSync(file).mtimeMs).toBe(mtime);
  expect(existsSync(`${file}.lock`), 'the lock is released when the start fails').toBe(false);
}

describe('a --db file of the wrong shape or version is refused and left untouched (items 1, 8)', () => {
  it.each(SHAPES)('%s', async (_name, text, message) => {
    const { file, mtime } = badFile(text);
    const refused = await createMockDhis2({ db: file, seed: 1, log: () => {} }).then(
      (mock) => mock.close().then(() => undefined),
      (e: unknown) => e as PersistenceError,
    );
    expect(refused, 'the emulator started').toBeInstanceOf(PersistenceError);
    expect(refused!.code).toBe('DB_UNREADABLE');
    expect(refused!.message).toMatch(message);
    expect(refused!.message).toContain(file);
    expect(refused!.message).toMatch(/left untouched/);
    expect(refused!.message).not.toContain('\n');
    expectUntouched(file, text, mtime);
  });

  // the process entry (and `serve`) turn that refusal into one line on stderr and exit 2
  it.each(SHAPES.filter(([name]) => ['another program\'s data', 'a future format version', 'an entity without attributes'].includes(name)))(
    'as a process: %s → one line on stderr, exit 2',
    async (_name, text, message) => {
      const { file, mtime } = badFile(text);
      expectRefused(await attemptChildStart({ port: 0, db: file, seed: 1 }), message);
      expectUntouched(file, text, mtime);
    },
  );

  it('an empty (0-byte) file is a new store, and a valid one loads', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect((await attemptChildStart({ port: 0, db: empty, seed: 1 })).ready).toBe(true);
    expect(JSON.parse(readFileSync(empty, 'utf8'))).toMatchObject({ version: 1, trackedEntities: expect.any(Array) });
    const valid = join(dir, 'valid.json');
    writeFileSync(valid, JSON.stringify({ version: 1, trackedEntities: [storedPerson(0), storedPerson(1)] }));
    const attempt = await attemptChildStart({ port: 0, db: valid, seed: 1 });
    expect(attempt.ready, attempt.stderr).toBe(true);
    expect((JSON.parse(readFileSync(valid, 'utf8')) as { trackedEntities: { uid: string }[] }).trackedEntities.map((e) => e.uid)).toEqual(
      expect.arrayContaining([storedPerson(0).uid, storedPerson(1).uid]),
    );
  });
});

describe('a --db folder the emulator cannot write in stops the start (item 3)', () => {
  it('a missing folder: refused, and nothing is created', async () => {
    const file = join(dir, 'no-such-folder', 'state.json');
    expectRefused(await attemptChildStart({ port: 0, db: file, seed: 1 }), /no-such-folder.*(does not exist|cannot write)/i);
    expect(() => statSync(join(dir, 'no-such-folder'))).toThrow();
  });

  it('a path under a file: refused', async () => {
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    expectRefused(await attemptChildStart({ port: 0, db: join(notADir, 'state.json'), seed: 1 }), /plain-file/);
  });

  it('a read-only folder (for the emulator\'s user): refused, whether the file exists or not; an existing file is untouched', async (ctx) => {
    const text = JSON.stringify({ version: 1, trackedEntities: [storedPerson(0)] });
    const folder = readOnlyFolderWith('existing.json', text);
    if (!folder) {
      console.warn('db-file: skipped the read-only folder case: running as root, user nobody cannot read this checkout and no read-only mount could be made');
      ctx.skip();
      return;
    }
    const existing = join(folder.dir, 'existing.json');
    try {
      expectRefused(await attemptChildStart({ port: 0, db: join(folder.dir, 'new.json'), seed: 1 }, folder.as), /cannot write|read-only|permission/i);
      expectRefused(await attemptChildStart({ port: 0, db: existing, seed: 1 }, folder.as), /cannot write|read-only|permission/i);
      expect(readFileSync(existing, 'utf8')).toBe(text);
    } finally {
      folder.release();
    }
  });

  it('a folder that disappears while running: the write answers a 500 WebMessage saying so, one log line, no stack; close() reports it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'dhis2-vanishing-'));
    const logged: string[] = [];
    const mock = await createMockDhis2({ db: join(folder, 'state.json'), seed: 1, uniqueness: 'atomic', log: (m) => logged.push(m) });
    rmSync(folder, { recursive: true, force: true });
    const res = await request(mock.app).post(TEI_PATH).set('Authorization', ADMIN).send(createBody('Gone000001a', 'GONE-1', '+23270000013'));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ httpStatusCode: 500, status: 'ERROR', message: expect.stringMatching(/Saving the --db file .* failed .*in memory only/) });
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toMatch(/\n\s+at /);
    await expect(mock.close()).rejects.toMatchObject({ code: 'DB_WRITE_FAILED' });
  });
});

/**
 * A folder holding one file that the emulator's user cannot write in. Not root: a 0555 folder.
 * Root writes anywhere, so either the emulator runs as nobody (when nobody can read this checkout)
 * or, for a checkout in a private folder (mktemp -d is 0700), the folder is a tmpfs remounted
 * read-only. Undefined when neither is possible here.
 */
function readOnlyFolderWith(name: string, text: string): { dir: string; as?: { uid: number; gid: number }; release(): void } | undefined {
  const parent = mkdtempSync(join(tmpdir(), 'dhis2-readonly-'));
  chmodSync(parent, 0o755);
  const dir = join(parent, 'ro');
  mkdirSync(dir);
  const removeParent = () => rmSync(parent, { recursive: true, force: true });
  const nobody = { uid: 65534, gid: 65534 };
  if (process.getuid?.() !== 0 || canRunAs(nobody)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o644);
    chmodSync(dir, 0o555);
    return {
      dir,
      ...(process.getuid?.() === 0 ? { as: nobody } : {}),
      release: () => (chmodSync(dir, 0o755), removeParent()),
    };
  }
  const mount = (...args: string[]) => spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
  if (!mount('-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir)) return (removeParent(), undefined);
  writeFileSync(join(dir, name), text);
  if (!mount('-o', 'remount,ro', dir)) return (spawnSync('umount', [dir]), removeParent(), undefined);
  return { dir, release: () => (spawnSync('umount', [dir]), removeParent()) };
}

