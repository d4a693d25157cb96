/**
 * A scenario tells one story, and its faults are the story's turning point: a lost response, a
 * 502 after the commit. When an implementation never sends a request any fault rule matches (a
 * legacy client under a `/api/tracker` fault), the story did not happen, and the scenario's own
 * expectations (a fault in the journal, an outcome after it) judge something that never occurred.
 * Such a run is "not applicable", with the reason — unless the history itself has a finding: a
 * duplicate is a duplicate, fault or not.
 */
import { FINDING_CODES } from '../findings.js';
import type { ScenarioRun } from './execute.js';
import type { ScenarioFinding } from './findings.js';
import type { Scenario } from './schema.js';

const HISTORY_CODES = new Set<string>(Object.values(FINDING_CODES));
const UID_SEGMENT = /\/[A-Za-z][A-Za-z0-9]{10}(?=\/|$)/g;

function describeRule(rule: { kind: string; method?: string | string[]; path?: string }): string {
  const methods = rule.method === undefined ? 'any method' : [rule.method].flat().map((m) => m.toUpperCase()).join('/');
  return `${rule.kind} on ${methods} ${rule.path ?? 'any path'}`;
}

/** The routes the main phase sent, UIDs as `:uid`: `GET /api/trackedEntityInstances`. */
function routesSent(run: ScenarioRun): string[] {
  const routes = new Set<string>();
  for (const op of run.ops) {
    if (op.phase !== 'main') continue;
    for (const e of op.journal) if (e.type === 'request') routes.add(`${e.method} ${e.path.replace(UID_SEGMENT, '/:uid')}`);
  }
  return [...routes];
}

/** Why the run says nothing about the scenario's bug, or undefined when it does. */
export function notApplicableReason(scenario: Scenario, run: ScenarioRun, failing: readonly ScenarioFinding[]): string | undefined {
  const rules = scenario.faults?.rules ?? [];
  if (rules.length === 0) return undefined;
  if (failing.some((f) => HISTORY_CODES.has(f.code))) return undefined;
  if (run.faultRules.some((r) => r.matched > 0)) return undefined;
  const sent = routesSent(run);
  return (
    `not applicable: the scenario's fault${rules.length > 1 ? 's' : ''} (${rules.map(describeRule).join('; ')}) never matched a request of this implementation, ` +
    `which sent ${sent.length > 0 ? sent.join(', ') : 'no request at all'}; the story the scenario tells did not happen, so its expectations say nothing here`
  );
}
