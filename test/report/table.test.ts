/** The terminal table (issue item 3): columns, verdicts, what failed and how to replay it. */
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/harness/report/table.js';
import { sampleReport } from './fixtures.js';

describe('formatTable', () => {
  it('one row per scenario × implementation with verdict, operations, requests and time', async () => {
    const text = formatTable(await sampleReport());
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+implementation\s+verdict\s+operations\s+requests\s+time$/);
    expect(lines[1]).toMatch(/^─+ {2}─+/);
    expect(text).toMatch(/two-concurrent-runs\s+robust\s+PASS\s+2\s+\d+\s+\d+(\.\d)? m?s/);
    expect(text).toMatch(/retry-after-commit-then-drop\s+reference:trackerNoUid\s+XFAIL\s+2\s+2\s+\d+(\.\d)? m?s/);
    expect(text).toMatch(/XFAIL two-concurrent-runs × reference:naiveSearchThenCreate: fails as in the field: 2 live entities carry key NID-1001/);
    expect(text).toMatch(/^OK: 2 scenario file\(s\), 4 run\(s\): 2 passed, 2 failed as in the field \(expected\), 0 failed in/m);
  });

  it('is plain text unless colour is asked for', async () => {
    const report = await sampleReport();
    expect(formatTable(report)).not.toMatch(/\u001b\[/);
    expect(formatTable(report, { color: true })).toMatch(/\u001b\[/);
  });
});
