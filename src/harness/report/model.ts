/**
 * What a `dhis2-harness run` produces, shared by every report format (table, JSON, JUnit, HTML).
 */
import type { ScenarioRun } from '../scenario/execute.js';
import type { ScenarioFinding } from '../scenario/findings.js';
import type { UnhandledRequest } from '../unhandled.js';

/**
 * PASS: every expectation held. FAIL: some did not. XFAIL: an implementation expected to fail
 * failed with the expected finding (the field bug reproduces). XPASS: it was expected to fail and
 * did not (the scenario no longer reproduces the bug). N/A: the scenario's faults never matched a
 * request of this implementation (it calls other endpoints), so the story it tells did not happen
 * and its expectations say nothing; no property of the history failed either. ERROR: the
 * scenario could not run.
 */
export type Verdict = 'PASS' | 'FAIL' | 'XFAIL' | 'XPASS' | 'N/A' | 'ERROR';

export const VERDICTS: readonly Verdict[] = ['PASS', 'XFAIL', 'N/A', 'FAIL', 'XPASS', 'ERROR'];

/** Verdicts that do not fail a run. */
export const PASSING_VERDICTS: readonly Verdict[] = ['PASS', 'XFAIL', 'N/A'];

/** A verdict as a CSS class name ("N/A" is not one). */
export function verdictClass(v: Verdict): string {
  return v === 'N/A' ? 'NA' : v;
}

export interface ScenarioResult {
  file: string;
  /** the file name without `.json` */
  scenario: string;
  title: string;
  description?: string;
  seenIn?: string;
  dhis2Version?: string;
  uniqueness?: string;
  seed?: number;
  implementation: string;
  expectedFailure?: { findings: string[]; because?: string };
  verdict: Verdict;
  ok: boolean;
  /** one line for tables and CI annotations */
  summary: string;
  /** findings that fail the run (for XFAIL: the expected ones among them) */
  findings: ScenarioFinding[];
  /** findings the scenario told to ignore */
  ignored: ScenarioFinding[];
  error?: { name: string; code?: string; message: string };
  operations: number;
  requests: number;
  durationMs: number;
  replay: string;
  /** requests the emulator had no handler for: the verdict may not reflect DHIS2 (unhandled.ts) */
  unhandled?: UnhandledRequest[];
  /** the recorded run (absent when the scenario could not run) */
  run?: ScenarioRun;
}

export interface RunReport {
  tool: 'dhis2-harness';
  version: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  counts: Record<Verdict, number>;
  results: ScenarioResult[];
}

export function countVerdicts(results: readonly ScenarioResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { PASS: 0, FAIL: 0, XFAIL: 0, XPASS: 0, 'N/A': 0, ERROR: 0 };
  for (const r of results) counts[r.verdict]++;
  return counts;
}
