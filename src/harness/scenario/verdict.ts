/**
 * From findings to a verdict. An implementation declared to fail with finding X must produce X
 * (XFAIL): the scenario then still reproduces the field bug. Passing instead is XPASS, a failure:
 * either the reference was fixed or the scenario stopped opening the window.
 */
import type { Verdict } from '../report/model.js';
import type { ScenarioFinding } from './findings.js';
import type { Scenario } from './schema.js';

export interface Judgement {
  verdict: Verdict;
  failing: ScenarioFinding[];
  ignored: ScenarioFinding[];
  summary: string;
}

function codes(list: ScenarioFinding[]): string[] {
  return [...new Set(list.map((f) => f.code))];
}

export function judge(s: Scenario, findings: ScenarioFinding[], expectFailure: string[] | undefined): Judgement {
  const ignoredCodes = new Set<string>(s.expect.ignore);
  if (!s.expect.noDuplicates) ignoredCodes.add('DUPLICATE');
  const failing = findings.filter((f) => !ignoredCodes.has(f.code));
  const ignored = findings.filter((f) => ignoredCodes.has(f.code));
  const first = failing[0]?.message ?? '';
  if (!expectFailure) {
    return failing.length === 0
      ? { verdict: 'PASS', failing, ignored, summary: 'every expectation held' }
      : { verdict: 'FAIL', failing, ignored, summary: `${codes(failing).join(', ')}: ${first}` };
  }
  if (failing.length === 0) {
    return { verdict: 'XPASS', failing, ignored, summary: `expected to fail with ${expectFailure.join(', ')}, but every expectation held: the scenario no longer reproduces the bug` };
  }
  const missing = expectFailure.filter((c) => !failing.some((f) => f.code === c));
  if (missing.length === 0) {
    const expected = failing.filter((f) => expectFailure.includes(f.code));
    return { verdict: 'XFAIL', failing, ignored, summary: `fails as in the field: ${expected[0].message}` };
  }
  return {
    verdict: 'FAIL',
    failing,
    ignored,
    summary: `expected ${missing.join(', ')} but got ${codes(failing).join(', ')}: ${first}`,
  };
}
