/**
 * Findings of a scenario run: the history checker's typed findings plus the scenario's own
 * expectations (what a correct upsert does here), each with the operations involved.
 */
import type { Finding } from '../findings.js';

export const EXPECTATION_CODES = {
  unexpectedOutcome: 'UNEXPECTED_OUTCOME',
  finalState: 'FINAL_STATE',
  requestBound: 'REQUEST_BOUND',
  journalFact: 'JOURNAL_FACT',
} as const;

export interface ExpectationFinding {
  code: (typeof EXPECTATION_CODES)[keyof typeof EXPECTATION_CODES];
  /** the key value the finding is about, when it is about one */
  key?: string;
  message: string;
  ops: number[];
  /** where in the scenario file the expectation is: `operations[2]`, `expect.final[0]` */
  where: string;
  /** every operation involved sent a request the emulator had no handler for (unhandled.ts) */
  emulatorGap?: boolean;
}

export type ScenarioFinding = Finding | ExpectationFinding;
