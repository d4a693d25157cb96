/**
 * The `upsert` CLI's input files (issue 15, item 9): a failure names the physical line of its
 * record (empty lines, CRLF and multi-line quoted CSV fields counted as an editor counts them), and
 * a mapping that cannot work (a column the file lacks, `orgUnitColumn` included, or no column for
 * the match attribute) stops the run once, before any request, instead of failing every row.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_IDS } from '../../mock-server/index.js';
import { main } from '../../src/cli.js';
import { readCsv, readNdjson, type CsvMapping } from '../../src/cli/records-file.js';

const at = DEMO_IDS.attributes;
const OU = DEMO_IDS.orgUnits.ngelehun;
const mapping: CsvMapping = {
  trackedEntityType: DEMO_IDS.trackedEntityType,
  matchAttribute: at.nationalId,
  orgUnitColumn: 'facility',
  columns: { nid: at.nationalId, first: at.firstName },
};

const linesOf = (r: { records: { line: number }[]; problems: { line: number }[] }) => ({
  records: r.records.map((x) => x.line),
  problems: r.problems.map((x) => x.line),
});

describe.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
])('physical line numbers (%s)', (_name, nl) => {
  it('CSV: empty lines and multi-line quoted fields do not shift them', () => {
    const text = [
      'nid,first,facility', // 1
      '', // 2
      `CSV-1,"Ama`, // 3
      `Mended",${OU}`, // 4
      '', // 5
      `,Kofi,${OU}`, // 6: no key
      `CSV-3,Yaw,${OU}`, // 7
      `,"multi`, // 8: no key, spans 8-10
      '',
      `line",${OU}`,
      `CSV-5,Esi,${OU}`, // 11
      '',
    ].join(nl);
    expect(linesOf(readCsv(text, mapping))).toEqual({ records: [3, 7, 11], problems: [6, 8] });
    expect(readCsv(text, mapping).records[0].record.attributes).toContainEqual({ attribute: at.firstName, value: `Ama${nl}Mended` });
  });

  it('NDJSON: blank lines are counted, a byte-order mark is no error', () => {
    const rec = (nid: string) => JSON.stringify({ trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: OU, matchAttribute: at.nationalId, attributes: [{ attribute: at.nationalId, value: nid }] });
    const text = `\ufeff${[rec('N-1'), '', '   ', rec('N-2'), '{"broken":', '', rec('N-3'), ''].join(nl)}`;
    expect(linesOf(readNdjson(text))).toEqual({ records: [1, 4, 7], problems: [5] });
  });
});

describe('mapping checks happen once, before any row (item 9)', () => {
  it.each([
    ['orgUnitColumn names a column the file lacks', { ...mapping, orgUnitColumn: 'clinic' }, 'nid,first,facility\nA,B,C\n', /clinic.*Columns found: nid, first, facility/],
    ['a mapped column is missing, with no data rows at all', mapping, 'nid,facility\n', /first/],
    ['no column maps to the match attribute', { ...mapping, columns: { first: at.firstName } }, 'nid,first,facility\nA,B,C\n', /matchAttribute lZGmxYbs97q/],
    ['two columns map to one attribute', { ...mapping, columns: { nid: at.nationalId, first: at.firstName, other: at.firstName } }, 'nid,first,other,facility\nA,B,C,D\n', /first, other.*w75KJ2mc4zz/],
    ['the header names a column twice', mapping, 'nid,first,first,facility\nA,B,C,D\n', /twice.*first/],
  ])('%s', (_name, m, text, message) => {
    expect(() => readCsv(text, m as CsvMapping)).toThrow(message);
  });

  it('the CLI exits 2 with one message and sends nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upsert-mapping-'));
    const file = join(dir, 'people.csv');
    const mappingFile = join(dir, 'mapping.json');
    await writeFile(file, `nid,first,facility\n${Array.from({ length: 50 }, (_, i) => `M-${i},Ama,${OU}`).join('\n')}\n`);
    await writeFile(mappingFile, JSON.stringify({ ...mapping, orgUnitColumn: 'clinic' }));
    vi.stubEnv('DHIS2_USERNAME', 'admin');
    vi.stubEnv('DHIS2_PASSWORD', 'district');
    vi.stubEnv('DHIS2_TOKEN', undefined);
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      // nothing listens on port 9: a request would fail differently (and per record)
      const code = await main(['upsert', '--file', file, '--mapping', mappingFile, '--url', 'http://127.0.0.1:9', '--failures', join(dir, 'failed.ndjson'), '--no-progress']);
      expect(code).toBe(2);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(err.join('').trim().split('\n')).toHaveLength(1);
    expect(err.join('')).toMatch(/orgUnitColumn.*clinic/);
  });
});
