/**
 * `dhis2-harness serve` with the persistence and journal options (issue 15): docs/emulator.md's command
 * runs as written, holds the --db lock while it serves, saves and lets go on SIGTERM (exit 0); a
 * --db it cannot use and a bad option value stop it with one line and exit 2.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { docBlock } from '../docs/doc-blocks.js';
import { ADMIN } from '../mock-server/helpers.js';
import { spawnCli } from './support/child-server.js';
import { createBody, legacyAcknowledged, TEI_PATH } from './support/people.js';

const dir = mkdtempSync(join(tmpdir(), 'dhis2-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `npx dhis2-harness serve …` command of docs/emulator.md's persistence example, as arguments. */
function readmeServeArgs(): string[] {
  const line = docBlock('serve-db').code.trim();
  expect(line).toMatch(/^npx dhis2-harness serve .*--db-fsync/);
  return line.replace(/\s+#.*$/, '').split(/\s+/).slice(2);
}

describe('dhis2-harness serve: --db, --db-fsync, --journal-max-bytes', () => {
  it('the docs command (emulator.md, Persistence) serves, locks the file, saves and releases it on SIGTERM', async () => {
    const args = readmeServeArgs();
    expect(args).toEqual(expect.arrayContaining(['--db', '--db-fsync', '--journal-max-bytes']));
    const cwd = mkdtempSync(join(dir, 'readme-'));
    const db = join(cwd, args[args.indexOf('--db') + 1]);
    const cli = spawnCli(args, cwd);
    const url = await cli.ready;
    expect(url, cli.output()).not.toBeNull();
    try {
      expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8'))).toMatchObject({ pid: cli.child.pid });
      const res = await request(`${url}${TEI_PATH}`, {
        method: 'POST',
        headers: { authorization: ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify(createBody('Serve00001a', 'SERVE-1', '+23270000012')),
      });
      expect(legacyAcknowledged(res.statusCode, await res.body.json())).toBe(true);
      // the cap is in force: a tiny page of the journal says there is more
      const page = (await request(`${url}/__admin/journal?maxBytes=100`).then((r) => r.body.json())) as { next?: number };
      expect(page.next).toBeGreaterThan(0);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output()).toMatch(/seed 7/);
    expect(readFileSync(db, 'utf8')).toContain('Serve00001a');
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it.each([
    ['a --db in a missing folder', ['--db', 'missing/state.json'], /^dhis2-harness serve: Cannot use the --db file state\.json in .*missing: the folder .* does not exist/],
    ['--journal-max-bytes that is no number', ['--journal-max-bytes', '32mb'], /^error: |--journal-max-bytes must be a non-negative integer/],
    ['--journal-max-bytes 0', ['--journal-max-bytes', '0'], /journalMaxBytes/],
  ])('%s: one line on stderr, exit 2, no ready line', async (_name, extra, message) => {
    const cwd = mkdtempSync(join(dir, 'bad-'));
    const cli = spawnCli(['serve', '--port', '0', ...extra], cwd);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(await cli.ready).toBeNull();
    const lines = cli.output().trim().split('\n');
    expect(lines, cli.output()).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
