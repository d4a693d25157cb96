/** A real run of two library scenarios, shared by the report tests (one duplicate, one injected fault). */
import type { RunReport } from '../../src/harness/report/model.js';
import { runScenarios } from '../../src/harness/scenario/run-scenarios.js';

let cached: Promise<RunReport> | undefined;

export function sampleReport(): Promise<RunReport> {
  cached ??= runScenarios(['scenarios/two-concurrent-runs.json', 'scenarios/retry-after-commit-then-drop.json']);
  return cached;
}
