import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters as plain } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMockDhis2, DEMO_IDS, type MockDhis2 } from '../../mock-server/index.js';
import { main } from '../../src/cli.js';

const at = DEMO_IDS.attributes;
const rec = (nid: string, name: string, ou: string = DEMO_IDS.orgUnits.ngelehun) => ({
  trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: ou, matchAttribute: at.nationalId,
  attributes: [{ attribute: at.nationalId, value: nid }, { attribute: at.firstName, value: name }],
});

describe('dhis2-harness upsert (the core against a server, from a file)', () => {
  let mock: MockDhis2;
  let dir: string;
  let out: string[];
  beforeAll(async () => {
    mock = await createMockDhis2({ uniqueness: 'atomic', seed: 9, log: () => {} });
    process.env.DHIS2_BASE_URL = await mock.listen(0, '127.0.0.1');
    process.env.DHIS2_USERNAME = 'admin';
    process.env.DHIS2_PASSWORD = 'district';
    dir = await mkdtemp(join(tmpdir(), 'upsert-cli-'));
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await mock.close();
  });

  it('NDJSON: creates, then re-running is unchanged; a bad line goes to the failures file with exit 1', async () => {
    const file = join(dir, 'people.ndjson');
    const failures = join(dir, 'failed.ndjson');
    await writeFile(file, [rec('CLI-1', 'Ama'), rec('CLI-2', 'Kofi'), { nope: true }].map((r) => JSON.stringify(r)).join('\n'));
    out = [];
    expect(await main(['upsert', '--file', file, '--failures', failures, '--no-progress'])).toBe(1);
    expect(plain(out.join(''))).toMatch(/2 created, 0 updated, 0 unchanged, .*1 failed/);
    expect((await readFile(failures, 'utf8')).trim().split('\n')).toHaveLength(1);
    await writeFile(file, [rec('CLI-1', 'Ama'), rec('CLI-2', 'Kofi')].map((r) => JSON.stringify(r)).join('\n'));
    out = [];
    expect(await main(['upsert', '--file', file, '--no-progress'])).toBe(0);
    expect(plain(out.join(''))).toMatch(/0 created, 0 updated, 2 unchanged, 0 failed/);
    expect(mock.admin.invariants().ok).toBe(true);
  });

  it('CSV with a column mapping updates by key', async () => {
    const file = join(dir, 'people.csv');
    const mapping = join(dir, 'mapping.json');
    await writeFile(file, 'nid,first,facility\nCLI-1,Ama Mended,DiszpKrYNg8\nCLI-3,Yaw,g8upMTyEZGZ\n');
    await writeFile(mapping, JSON.stringify({
      trackedEntityType: DEMO_IDS.trackedEntityType, matchAttribute: at.nationalId, orgUnitColumn: 'facility',
      columns: { nid: at.nationalId, first: at.firstName },
    }));
    out = [];
    expect(await main(['upsert', '--file', file, '--mapping', mapping, '--no-progress'])).toBe(0);
    expect(plain(out.join(''))).toMatch(/1 created, 1 updated, 0 unchanged, 0 failed/);
  });

  it.each([
    [['upsert', '--file', '/nonexistent.ndjson'], /Cannot read/],
    [['upsert', '--file', 'x.csv'], /needs --mapping|Cannot read/],
    [['upsert', '--file', 'x.ndjson', '--api', 'soap'], /--api must be legacy, tracker or auto/],
  ])('usage errors exit 2 with a clear message: %j', async (argv, message) => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    expect(await main(argv as string[])).toBe(2);
    spy.mockRestore();
    expect(err.join('')).toMatch(message);
  });
});
