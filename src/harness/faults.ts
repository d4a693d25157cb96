/**
 * The harness's faults, aimed at single requests: which requests each kind applies to, which
 * request a workload's fault lands on, and the emulator fault-plan rule that injects it (the
 * emulator's fault engine is the one definition of every fault: it journals each one with whether
 * the request had committed). The gateway tags the chosen request; the rule matches the tag.
 */
import type { FaultPlanInput } from '../../mock-server/index.js';
import { FAULT_TAG_HEADER, type AimedFault } from './gateway.js';
import type { RequestTrace } from './history.js';
import type { FaultKind, FaultRule } from './types.js';

/** What a request is for, as the coverage report counts it. */
export type RequestClass = 'system' | 'metadata' | 'search' | 'read' | 'write' | 'other';

const SEARCH = /^\/api\/(?:\d{2}\/)?(?:trackedEntityInstances|tracker\/trackedEntities)(?:\.json)?(?:\?|$)/;
const READ = /^\/api\/(?:\d{2}\/)?(?:trackedEntityInstances|tracker\/trackedEntities)\/[A-Za-z][A-Za-z0-9]{10}(?:\.json)?(?:\?|$)/;
const SYSTEM = /^\/api\/(?:\d{2}\/)?(?:system\/|me(?:[/?.]|$)|resources|ping)/;
const METADATA = /^\/api\/(?:\d{2}\/)?(?:trackedEntityAttributes|trackedEntityTypes|programs|organisationUnits|optionSets|schemas|userSettings|systemSettings)/;

export function requestClassOf(method: string, path: string): RequestClass {
  if (method !== 'GET' && method !== 'HEAD') return 'write';
  if (SEARCH.test(path)) return 'search';
  if (READ.test(path)) return 'read';
  if (SYSTEM.test(path)) return 'system';
  if (METADATA.test(path)) return 'metadata';
  return 'other';
}

/** Whether a fault of `kind` makes sense for a request (a stale answer only for a search, a second delivery only for a write). */
export function appliesTo(kind: FaultKind, method: string, path: string): boolean {
  if (kind === 'stale') return requestClassOf(method, path) === 'search';
  if (kind === 'duplicate') return requestClassOf(method, path) === 'write';
  return true;
}

export function faultTag(index: number): string {
  return `f${index}`;
}

/**
 * The fault aimed at the next request of a call, if any: the workload's fault `{ op, request, kind }`
 * lands on the `request`-th request of that op's call among those its kind applies to.
 */
export function aimFault(faults: readonly FaultRule[], opsOfCall: readonly number[], request: { method: string; path: string }, previous: readonly RequestTrace[]): AimedFault | undefined {
  for (const [i, f] of faults.entries()) {
    if (!opsOfCall.includes(f.op) || !appliesTo(f.kind, request.method, request.path)) continue;
    const nth = previous.filter((r) => appliesTo(f.kind, r.method, r.path)).length;
    if (nth === f.request) return { tag: faultTag(i), kind: f.kind };
  }
  return undefined;
}

/** The emulator rule that injects one harness fault into the request carrying its tag. */
function ruleOf(kind: FaultKind, tag: string): Record<string, unknown> {
  const match = { label: `harness ${kind} (${tag})`, header: { [FAULT_TAG_HEADER]: tag }, times: 1 };
  switch (kind) {
    case 'rate-limit':
      return { kind: 'rate-limit', ...match, status: 429, retryAfterSeconds: 0 };
    case 'unavailable':
      return { kind: 'error-before-commit', ...match, status: 503, retryAfterSeconds: 0 };
    case 'reset-before':
      return { kind: 'reset-before-commit', ...match };
    case 'error-after':
      return { kind: 'error-after-commit', ...match, status: 502 };
    case 'drop-after':
      return { kind: 'drop-after-commit', ...match, mode: 'close' };
    case 'latency':
      return { kind: 'latency', ...match, delay: { dist: 'fixed', ms: 25 } };
    case 'stale':
      return { kind: 'stale-search', ...match, method: 'GET', commitsAgo: 1 };
    case 'duplicate':
      return { kind: 'duplicate-delivery', ...match, respond: 'second' };
  }
}

/** The fault plan that arms every fault of a workload (each fires on its tagged request only). */
export function faultPlanOf(faults: readonly FaultRule[]): FaultPlanInput | undefined {
  if (faults.length === 0) return undefined;
  return { rules: faults.map((f, i) => ruleOf(f.kind, faultTag(i))) } as FaultPlanInput;
}
