import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files (measured by the last full runs), started first: a clean clone has no timing
 * cache, and a three-minute file picked up last by one of the two workers would end the run alone.
 */
const SLOW_FIRST = [
  'test/userpath/user-project.test.ts',
  'test/harness/cli-verify.test.ts',
  'test/docs/docs-commands.test.ts',
  'test/openfn/',
  'test/properties/',
  'test/reliability/db-file.test.ts',
  'test/reliability/durability.test.ts',
  'test/reliability/fuzz.test.ts',
];

class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((p) => f.moduleId.includes(p));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker on a 2-core machine; the slow files spend most of their time
    // waiting on child processes and sockets, so two workers nearly halve the wall time
    maxWorkers: 2,
    sequence: { sequencer: SlowFilesFirst },
    // the JSON report feeds .ci/run's closing "N passed, N failed" line
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
