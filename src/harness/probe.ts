/**
 * Versions that apply: one plain upsert per DHIS2 version before the search. Where it fails on an
 * API that release does not have (the tracker API is a 501 stub on 2.35; the legacy API is gone
 * from 2.42), the version is not applicable to this implementation: reporting its runs as
 * NOT_CONVERGED would blame the upsert for the emulator's faithfulness.
 */
import { fifoScheduler } from './fifo-scheduler.js';
import type { RequestTrace } from './history.js';
import type { RemoteOptions } from './remote-target.js';
import { runWorkload, type RunOptions } from './runner.js';
import type { ImplementationSource, Workload } from './types.js';

export interface NotApplicable {
  version: string;
  reason: string;
}

const TRACKER = /^\/api\/(?:\d{2}\/)?tracker(?:[/?.]|$)/;
const LEGACY = /^\/api\/(?:\d{2}\/)?(?:trackedEntityInstances|enrollments|events)(?:[/?.]|$)/;

/** The request that met an API this release lacks, if any. */
export function missingApi(version: string, requests: readonly RequestTrace[]): RequestTrace | undefined {
  const minor = Number(version.split('.')[1]);
  return requests.find((r) => (minor < 36 && r.status === 501 && TRACKER.test(r.path)) || (minor >= 42 && r.status === 404 && LEGACY.test(r.path)));
}

function probeWorkload(version: string): Workload {
  return {
    dhis2Version: version,
    uniqueness: 'atomic',
    keyKind: 'unique',
    preexisting: [],
    rounds: [[{ key: 0, orgUnit: 'home', firstName: 'Ama' }]],
    faults: [],
  };
}

export async function probeVersions(
  source: ImplementationSource,
  versions: readonly string[],
  o: { seed: number; opTimeoutMs: number; remote?: RemoteOptions; reuse?: RunOptions['reuse']; onRun?: () => void },
): Promise<{ applicable: string[]; notApplicable: NotApplicable[] }> {
  const applicable: string[] = [];
  const notApplicable: NotApplicable[] = [];
  for (const version of versions) {
    const { history } = await runWorkload(source, probeWorkload(version), { mode: 'scheduled', scheduler: fifoScheduler(), seed: o.seed, opTimeoutMs: o.opTimeoutMs, remote: o.remote, reuse: o.reuse });
    o.onRun?.();
    const op = history.ops[0];
    const missing = op.outcome === 'ok' ? undefined : missingApi(version, op.requests);
    if (missing) {
      notApplicable.push({ version, reason: `it calls ${missing.method} ${missing.path.split('?')[0]}, which DHIS2 ${version} does not have (HTTP ${missing.status})` });
    } else applicable.push(version);
  }
  return { applicable, notApplicable };
}
