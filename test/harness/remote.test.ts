import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { formatReport } from '../../src/harness/report.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import naive from '../fixtures/implementations/naive-search-then-create.mjs';
import { FC_SEED } from '../properties/fc-config.js';
import { robustOn } from '../properties/implementations.js';

describe('verify --url: an emulator already listening (dhis2-harness serve), driven through its admin API', () => {
  let mock: MockDhis2;
  let url: string;
  beforeAll(async () => {
    mock = await createMockDhis2({ seed: 9, log: () => {} });
    url = await mock.listen(0, '127.0.0.1');
  });
  afterAll(() => mock.close());

  it('finds the naive race through the proxying gateway (scheduled requests, closed commit window)', async () => {
    const report = await verifyUpsert(naive, {
      url,
      seed: FC_SEED,
      numRuns: 30,
      concurrentRuns: 0,
      workload: { dhis2Versions: ['2.40'], uniqueness: ['off'], maxKeys: 1, maxRounds: 1, maxOps: 3, faults: false, preexisting: false },
    });
    expect(report.ok).toBe(false);
    expect(report.verdict).toBe('DUPLICATE');
    expect(report.counterexample!.history.journalAvailable).toBe(true);
    expect(report.counterexample!.history.ops[0].journal.length).toBeGreaterThan(0);
  });

  it('the robust core passes there too, pre-existing entities and gateway faults included', async () => {
    const report = await verifyUpsert(robustOn('tracker'), { url, seed: FC_SEED, numRuns: 20, concurrentRuns: 3, workload: { dhis2Versions: ['2.40', '2.41'], partialRecords: false } });
    expect(report.ok, formatReport(report)).toBe(true);
  });

  it('a URL without the admin API is refused with a pointer to `hammer`', async () => {
    const plain = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    try {
      const other = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
      await expect(verifyUpsert(naive, { url: other, seed: 1, numRuns: 1, concurrentRuns: 0 })).rejects.toMatchObject({ code: 'REMOTE_TARGET', message: expect.stringContaining('hammer') });
    } finally {
      plain.close();
    }
  });
});
