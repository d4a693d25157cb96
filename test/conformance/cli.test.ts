import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MockDhis2 } from '../../mock-server/index.js';
import { main } from '../../src/cli.js';
import { ALL_CASES } from '../../src/conformance/cases/index.js';
import { runConformance } from '../../src/conformance/run.js';
import { defineCases, type ConformanceCase } from '../../src/conformance/types.js';
import { commandsOf, docBlock } from '../docs/doc-blocks.js';
import { brokenProxy, emulatorRun, listeningEmulator } from './support.js';

let out: string[] = [];
let err: string[] = [];
const mocks: MockDhis2[] = [];
beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all(mocks.map((m) => m.close()));
});
const run = async (args: string[]) => {
  out = [];
  err = [];
  const code = await main(['conformance', ...args]);
  return { code, out: out.join(''), err: err.join('') };
};
const emulator = async (version: string) => {
  const e = await listeningEmulator(version);
  mocks.push(e.mock);
  return e;
};
const creds = ['--username', 'admin', '--password', 'district'];

describe('dhis2-harness conformance', () => {
  it('exit 0 when every case passes or is skipped; one line per case and a summary with the release', async () => {
    const { url } = await emulator('2.39');
    const r = await run(['--url', url, ...creds]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS {2}versions\.prefix-40 {2}/m);
    expect(r.out).toMatch(/^SKIP {2}delete\.legacy-frees-unique-value .*\n {6}writes data: pass --allow-writes/m);
    expect(r.out).toMatch(/DHIS2 2\.39\.10 \(reports "2\.39\.10"\) at http:\/\/127\.0\.0\.1:\d+: \d+ passed, 0 failed, \d+ skipped\n$/);
  });

  it('exit 1 when a case fails, with what was expected and what came back', async () => {
    const { mock } = await emulator('2.41');
    const proxy = await brokenProxy(mock, (req) => (req.url?.startsWith('/api/system/ping') ? { status: 200, body: 'pang', type: 'text/plain' } : undefined));
    try {
      const r = await run(['--url', proxy.url, ...creds, '--case', 'system.ping']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^FAIL {2}system\.ping .*\n.*step "ping": GET \/api\/system\/ping → 200\n/m);
      expect(r.out).toMatch(/^\s+body: expected "pong", got "pang"$/m);
      expect(r.out).toMatch(/^\s+header cache-control: expected a value \(contains\), got nothing$/m);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    [['--username', 'admin', '--password', 'x'], /Give the DHIS2 base URL with --url/],
    [['--url', 'http://127.0.0.1:1'], /Give the credentials with --username and --password/],
    [['--url', 'ftp://x', ...creds], /Not an http\(s\) URL/],
    [['--url', 'http://127.0.0.1:1', ...creds, '--case', 'no.such.case'], /No conformance case matches no\.such\.case/],
    [['--url', 'http://127.0.0.1:1', ...creds, '--restricted-username', 'bo'], /needs all of --restricted-username/],
    [['--url', 'http://127.0.0.1:1', ...creds, '--timeout', 'soon'], /--timeout must be a non-negative integer/],
  ])('exit 2 with one line on stderr: %j', async (args, message) => {
    const prev = { url: process.env.DHIS2_BASE_URL, user: process.env.DHIS2_USERNAME, pass: process.env.DHIS2_PASSWORD };
    delete process.env.DHIS2_BASE_URL;
    delete process.env.DHIS2_USERNAME;
    delete process.env.DHIS2_PASSWORD;
    try {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    } finally {
      if (prev.url !== undefined) process.env.DHIS2_BASE_URL = prev.url;
      if (prev.user !== undefined) process.env.DHIS2_USERNAME = prev.user;
      if (prev.pass !== undefined) process.env.DHIS2_PASSWORD = prev.pass;
    }
  });

  it('exit 2 for wrong credentials and for a server that is not there', async () => {
    const { url } = await emulator('2.40');
    const wrong = await run(['--url', url, '--username', 'admin', '--password', 'nope']);
    expect([wrong.code, wrong.err]).toEqual([2, expect.stringMatching(/answered 401 \(check --username and --password\)/)]);
    const { mock } = await emulator('2.40');
    const gone = await brokenProxy(mock, () => undefined);
    await gone.close();
    const absent = await run(['--url', gone.url, ...creds, '--timeout', '2000']);
    expect([absent.code, absent.err]).toEqual([2, expect.stringMatching(/Cannot reach/)]);
  });
});

/** Splits a documented shell command line into arguments (single and double quotes, no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** docs/conformance.md: every `npx dhis2-harness …` line of its marked blocks, run as shown against an emulator on a free port. */
describe('docs/conformance.md commands', () => {
  it('every command in the doc runs and behaves as described', async () => {
    const commands = [
      ...commandsOf(docBlock('conformance-run')),
      ...commandsOf(docBlock('conformance-writes')),
      ...commandsOf(docBlock('conformance-subset')),
    ];
    expect(commands.filter((l) => !l.startsWith('npx dhis2-harness ')), 'a line nothing runs').toEqual([]);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const { url: ready } = await emulator('2.41');
    const dir = await mkdtemp(join(tmpdir(), 'conformance-doc-'));
    for (const line of commands) {
      const args = shellWords(line.replaceAll('http://127.0.0.1:8080', ready).replace('conformance.json', join(dir, 'conformance.json'))).slice(2);
      out = [];
      err = [];
      const code = await main(args);
      expect([line, code, err.join('')]).toEqual([line, 0, '']);
      if (args.includes('--allow-writes')) expect(out.join('')).toMatch(/^PASS {2}doubtful\.legacy-put-outside-scope/m);
      if (args.includes('--list')) expect(out.join('')).toMatch(/^client\.language-dhis2-2\.0\.11\.upsert-create {2}\[writes; every release\]/m);
    }
    const report = JSON.parse(await readFile(join(dir, 'conformance.json'), 'utf8'));
    expect(report.release.minor).toBe(41);
    expect(report.results.every((r: { id: string }) => r.id.startsWith('auth') || r.id.startsWith('versions'))).toBe(true);
  });

  it('"Writing a case": the example is a valid case, the suite\'s own versions.prefix-40 (its source abridged), and it passes on 2.39 and 2.40', async () => {
    // the block is a JavaScript object literal (comments and all)
    const shown = new Function(`return (${docBlock('conformance-case').code});`)() as ConformanceCase;
    const [parsed] = defineCases([shown]);
    const { source: _shownSource, ...rest } = parsed;
    const { source: _suiteSource, ...suite } = ALL_CASES.find((c) => c.id === parsed.id)!;
    expect(rest).toEqual(suite);
    for (const version of ['2.39', '2.40']) {
      const { url } = await emulator(version);
      const report = await runConformance({ ...emulatorRun(url), cases: [parsed] });
      expect(report.results.map((r) => [r.id, r.status, r.detail ?? ''])).toEqual([[parsed.id, 'pass', '']]);
    }
  });
});
