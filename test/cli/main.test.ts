/**
 * The CLI's common contract (interfaces.md): `--version`; exit 0 pass, 1 findings, 2 usage or
 * configuration error said in one line on stderr; the upsert help names credentials, formats and
 * exit codes (issue 12: "--help does not mention credentials").
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { reportUsageError } from '../../src/cli/usage.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('dhis2-harness', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await main(['--version'])).toBe(0);
    expect(out).toBe(`${version}\n`);
  });

  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['verify', '--frobnicate']],
    ['a missing option value', ['run', '--json']],
  ])('%s: exit 2, one line on stderr', async (_name, argv) => {
    expect(await main(argv)).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('upsert --help names the credentials, the record formats, the failures file and the exit codes', async () => {
    expect(await main(['upsert', '--help'])).toBe(0);
    for (const needle of ['DHIS2_BASE_URL', 'DHIS2_USERNAME, DHIS2_PASSWORD', 'DHIS2_TOKEN', '.ndjson', '.csv', '"orgUnitColumn"', '--failures', 'Exit codes: 0 every record upserted, 1 some records failed, 2 usage or configuration error']) {
      expect(out).toContain(needle);
    }
  });

  it.each(['run', 'verify', 'hammer'])('%s --help states the exit codes', async (command) => {
    expect(await main([command, '--help'])).toBe(0);
    expect(out.replace(/\s+/g, ' ')).toMatch(/Exit code 0 .*, 1 on a finding, 2 on a usage error/);
  });
});

describe('reportUsageError', () => {
  it('a typed error is one line naming the command; several lines become one', () => {
    const lines: string[] = [];
    const e = Object.assign(new Error('a.json: title: required\n  b.json: seed: expected number'), { code: 'INVALID_SCENARIO' });
    expect(reportUsageError('run', e, (s) => lines.push(s))).toBe(2);
    expect(lines).toEqual(['dhis2-harness run: a.json: title: required; b.json: seed: expected number\n']);
  });

  it('an untyped error is called an internal error (a bug to report), still in one line', () => {
    const lines: string[] = [];
    expect(reportUsageError('verify', new TypeError('x is undefined'), (s) => lines.push(s))).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dhis2-harness verify: internal error: x is undefined \(set DHIS2_HARNESS_DEBUG=1/);
  });
});
