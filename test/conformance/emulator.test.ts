import { afterAll, describe, expect, it } from 'vitest';
import type { MockDhis2 } from '../../mock-server/index.js';
import { ALL_CASES } from '../../src/conformance/cases/index.js';
import { inRange, parseRelease } from '../../src/conformance/release.js';
import { runConformance } from '../../src/conformance/run.js';
import { emulatorRun, listeningEmulator } from './support.js';

const RELEASES = ['2.35', '2.36', '2.37', '2.38', '2.39', '2.40', '2.41', '2.42'];
const mocks: MockDhis2[] = [];
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
});

/**
 * CI runs the parity suite against the emulator, release by release: every case that applies to
 * the release must pass, and none may be skipped for any other reason (writes allowed, restricted
 * user given, metadata discovered from the demo fixture's public API).
 */
describe('conformance cases against the emulator, every release', () => {
  it.each(RELEASES)('DHIS2 %s: every applicable case passes', async (version) => {
    const { mock, url } = await listeningEmulator(version);
    mocks.push(mock);
    const report = await runConformance(emulatorRun(url));
    const release = parseRelease(report.release.reported);
    expect(release.minor).toBe(Number(version.slice(2)));
    const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    const expectedSkips = ALL_CASES.filter((c) => !inRange(release, c.releases)).map((c) => c.id);
    expect(report.results.filter((r) => r.status === 'skip').map((r) => r.id)).toEqual(expectedSkips);
    expect(report.notes).toEqual([]);
    // writes left no duplicates behind (fresh keys per case)
    expect(mock.admin.invariants().ok).toBe(true);
  });
});
