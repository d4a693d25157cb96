/**
 * The enrollments and events of a record, after its entity is resolved (issue 17). Every program's
 * metadata is read, and every stage checked, before the first write, so a record naming a stage
 * of another program fails without writing a child. Enrollments and their events go in record
 * order, one at a time: later ones see what earlier ones wrote.
 */
import type { Dhis2VersionInfo } from '../../client/version.js';
import type { ApiKind } from '../api/types.js';
import type { CountingHttp } from '../api/http.js';
import type { ValidEnrollment } from '../record-enrollments.js';
import { type RetryEnv, type RetryOptions, withRetry } from '../retry-policy.js';
import type { ChildCtx } from './context.js';
import { upsertEnrollment } from './enrollment.js';
import { upsertEvent } from './event.js';
import { LegacyChildApi } from './legacy.js';
import { programMeta, stageOf, type ProgramMeta } from './program-meta.js';
import { TrackerChildApi } from './tracker.js';
import type { ChildApi, ChildResults } from './types.js';

export function childApiFor(kind: ApiKind, version: Dhis2VersionInfo, sleep?: RetryEnv['sleep']): ChildApi {
  return kind === 'legacy' ? new LegacyChildApi() : new TrackerChildApi(version, sleep);
}

export interface ChildOptions {
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  env: RetryEnv;
  maxRecoveries: number;
}

export async function upsertChildren(
  http: CountingHttp, api: ChildApi, entity: string, recordOrgUnit: string, enrollments: readonly ValidEnrollment[], o: ChildOptions,
): Promise<ChildResults> {
  const ctx: ChildCtx = { http, api, signal: o.signal, retry: o.retry, env: o.env, maxRecoveries: o.maxRecoveries };
  const metas = new Map<string, ProgramMeta>();
  for (const program of new Set(enrollments.map((e) => e.program))) {
    metas.set(program, await withRetry(() => programMeta(http, program, o.signal), o.retry, o.env, o.signal));
  }
  for (const en of enrollments) for (const ev of en.events) stageOf(metas.get(en.program)!, ev.programStage);

  const out: ChildResults = { enrollments: [], events: [] };
  for (const en of enrollments) {
    const meta = metas.get(en.program)!;
    const enrollment = await upsertEnrollment(ctx, entity, recordOrgUnit, en, meta);
    out.enrollments.push({ program: en.program, uid: enrollment.uid, action: enrollment.action });
    for (const ev of en.events) {
      const r = await upsertEvent(ctx, entity, en.program, enrollment, stageOf(meta, ev.programStage), ev);
      out.events.push({ programStage: ev.programStage, key: ev.key, uid: r.uid, action: r.action });
    }
  }
  return out;
}
