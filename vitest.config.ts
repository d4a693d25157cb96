import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the JSON report feeds .ci/run's closing "N passed, N failed" line
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
