/**
 * `hammer` against a DHIS2 it knows only through the public API (here an emulator started in the
 * test and reached over HTTP, never through its admin API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockDhis2, DEMO_IDS, type MockDhis2 } from '../../mock-server/index.js';
import { hammer } from '../../src/harness/scenario/hammer/hammer.js';
import { resolveImplementation } from '../../src/harness/scenario/implementation.js';
import { main } from '../../src/cli.js';

let mock: MockDhis2;
let url: string;
beforeAll(async () => {
  mock = await createMockDhis2({ dhis2Version: '2.41', uniqueness: 'racy', seed: 5, log: () => {} });
  url = await mock.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await mock.close();
});

const base = () => ({ target: url, username: 'admin', password: 'district', records: 4, concurrency: 3 });

describe('hammer', () => {
  it('the robust core: every upsert succeeds and every key has exactly one entity', async () => {
    const progress: number[] = [];
    const r = await hammer({ ...base(), implementation: await resolveImplementation('robust'), implementationName: 'robust', salt: 'ROBUST', onProgress: (d) => progress.push(d) });
    expect(r.ok, JSON.stringify(r.findings)).toBe(true);
    expect(r.outcomes).toEqual({ ok: 12, fail: 0, unknown: 0 });
    expect(r.keyAttribute.id).toBe(DEMO_IDS.attributes.nationalId);
    expect(r.duplicates).toEqual([]);
    expect(progress.at(-1)).toBe(12);
    expect(r.requests).toBeGreaterThan(12);
  });

  it('a create-every-time upsert on a non-unique key: duplicates found through the public API', async () => {
    const r = await hammer({
      ...base(),
      implementation: await resolveImplementation('reference:trackerNoUid'),
      implementationName: 'reference:trackerNoUid',
      keyAttribute: DEMO_IDS.attributes.phone,
      salt: 'NOUID',
    });
    expect(r.ok).toBe(false);
    expect(r.duplicates).toHaveLength(4);
    expect(r.duplicates[0].uids).toHaveLength(3);
    expect(r.findings.map((f) => f.code)).toContain('DUPLICATE');
  });

  it('the CLI prints the verdict and exits 1 on a failing implementation', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['hammer', '--target', url, '--impl', 'reference:trackerNoUid', '--key-attribute', DEMO_IDS.attributes.phone, '--records', '2', '--concurrency', '2', '--quiet', '--salt', 'CLI']);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/^FAIL: 2 record\(s\) × 2 concurrent upsert\(s\) through reference:trackerNoUid/);
    expect(out.join('')).toMatch(/2 key\(s\) with duplicates/);
  });

  it('a bad --impl is a usage error (exit 2)', async () => {
    const err = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main(['hammer', '--target', url, '--impl', 'fast'])).toBe(2);
    } finally {
      process.stderr.write = err;
    }
  });
});
