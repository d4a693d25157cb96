/**
 * The new tracker API (2.36+). Spec §3.1–§3.7. Imports always run synchronously (`async=false`)
 * so the outcome arrives in the response; should a server answer with a job anyway, its report
 * is polled. Parameter names and the response key change at 2.41 (§3.7).
 */
import { parseTrackerImport, type TrackerImportResult } from '../../client/responses.js';
import type { Dhis2VersionInfo } from '../../client/version.js';
import { type Conflict, Dhis2ConflictError, HarnessError, HttpError } from '../../errors.js';
import { realSleep } from '../retry-policy.js';
import { payloadOnlyMandatoryCheck } from '../mandatory.js';
import { keyFilter } from './filter.js';
import type { CountingHttp } from './http.js';
import { foundEntities, readByUid } from './found.js';
import { LegacyApi } from './legacy.js';
import type { BulkItemResult, EntityPayload, FoundEntity, KeySearch, TeApi, WriteResult } from './types.js';

const FIELDS = 'trackedEntity,trackedEntityType,orgUnit,attributes[attribute,value]';
type Obj = Record<string, unknown>;

function toDto(e: EntityPayload): Obj {
  return { trackedEntity: e.uid, trackedEntityType: e.trackedEntityType, orgUnit: e.orgUnit, attributes: e.attributes };
}

export class TrackerApi implements TeApi {
  readonly kind = 'tracker' as const;
  /** Where updates go on releases whose tracker importer checks mandatory attributes against the payload alone. */
  private readonly legacyUpdates?: LegacyApi;
  constructor(
    readonly version: Dhis2VersionInfo,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = realSleep,
  ) {
    if (payloadOnlyMandatoryCheck(version)) this.legacyUpdates = new LegacyApi(version);
  }

  async search(http: CountingHttp, q: KeySearch, signal?: AbortSignal): Promise<FoundEntity[]> {
    const modern = this.version.minor >= 41;
    const scope = modern
      ? q.orgUnit
        ? { orgUnits: q.orgUnit, orgUnitMode: 'SELECTED' }
        : { orgUnitMode: 'ACCESSIBLE' }
      : q.orgUnit
        ? { orgUnit: q.orgUnit, ouMode: 'SELECTED' }
        : { ouMode: 'ACCESSIBLE' };
    const res = await http.get<Obj>(
      'tracker/trackedEntities',
      {
        ...scope,
        trackedEntityType: q.trackedEntityType,
        filter: keyFilter('tracker', this.version, q.attribute, q.values),
        fields: FIELDS,
        ...(modern ? { paging: false } : { skipPaging: true }),
      },
      signal,
    );
    const list = res.body?.trackedEntities ?? res.body?.instances;
    if (!Array.isArray(list)) {
      throw new HarnessError(`GET /api/tracker/trackedEntities returned neither 'instances' nor 'trackedEntities': ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    return foundEntities(list, 'trackedEntity');
  }

  private importReport(http: CountingHttp, entities: EntityPayload[], strategy: string, atomicMode: string, signal?: AbortSignal): Promise<TrackerImportResult> {
    return this.importPayload(http, { trackedEntities: entities.map(toDto) }, strategy, atomicMode, signal);
  }

  /** POST /api/tracker with any payload (enrollments, events), synchronously; a job's report is polled. */
  async importPayload(http: CountingHttp, payload: Record<string, unknown>, strategy: string, atomicMode: string, signal?: AbortSignal): Promise<TrackerImportResult> {
    let body: unknown;
    try {
      body = (await http.post('tracker', payload, { async: false, importStrategy: strategy, atomicMode }, signal)).body;
    } catch (err) {
      if (err instanceof Dhis2ConflictError && atomicMode === 'OBJECT') body = err.body;
      else throw err;
    }
    const parsed = parseTrackerImport(body);
    return parsed.kind === 'job' ? this.awaitJob(http, parsed.jobId, signal) : parsed;
  }

  /** Polls an import job's report: 404 means "not ready yet" (spec §3.1). */
  private async awaitJob(http: CountingHttp, jobId: string, signal?: AbortSignal): Promise<TrackerImportResult> {
    let delay = 100;
    for (let waited = 0; waited < 120_000; waited += delay, delay = Math.min(delay * 2, 2_000)) {
      await this.sleep(delay, signal);
      try {
        const res = await http.get(`tracker/jobs/${jobId}/report`, { reportMode: 'ERRORS' }, signal);
        const parsed = parseTrackerImport(res.body);
        if (parsed.kind === 'report') {
          if (parsed.status === 'ERROR' && parsed.errors.length > 0) throw this.reportConflict(parsed, jobId);
          return parsed;
        }
      } catch (err) {
        if (err instanceof HttpError && err.status === 404 && err.code === 'HTTP_ERROR') continue;
        throw err;
      }
    }
    throw new HarnessError(`Tracker import job ${jobId} did not finish within 120 s; its outcome is unknown. Re-run the upsert.`);
  }

  private reportConflict(r: TrackerImportResult, jobId: string): Dhis2ConflictError {
    const conflicts: Conflict[] = r.errors.map((e) => ({ object: e.uid, value: e.message, errorCode: e.errorCode }));
    return new Dhis2ConflictError({ status: 409, method: 'GET', url: `tracker/jobs/${jobId}/report`, body: r }, conflicts);
  }

  private single(r: TrackerImportResult, e: EntityPayload, what: string): WriteResult {
    if (r.status === 'ERROR' || r.errors.some((x) => x.uid === e.uid || x.uid === undefined)) {
      throw new HarnessError(`POST /api/tracker (${what}) reported errors for ${e.uid}: ${JSON.stringify(r.errors).slice(0, 300)}`);
    }
    const created = r.createdUids.includes(e.uid) || (r.stats.created > 0 && r.stats.updated === 0);
    return { uid: e.uid, created };
  }

  read(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEntity | undefined> {
    return readByUid(http, 'tracker/trackedEntities', uid, FIELDS, 'trackedEntity', signal);
  }

  async create(http: CountingHttp, e: EntityPayload, signal?: AbortSignal): Promise<WriteResult> {
    return this.single(await this.importReport(http, [e], 'CREATE_AND_UPDATE', 'ALL', signal), e, 'create');
  }

  async update(http: CountingHttp, e: EntityPayload, signal?: AbortSignal): Promise<WriteResult> {
    if (this.legacyUpdates) return this.legacyUpdates.update(http, e, signal);
    const w = this.single(await this.importReport(http, [e], 'UPDATE', 'ALL', signal), e, 'update');
    return { uid: w.uid, created: false };
  }

  updateMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    return this.legacyUpdates ? this.legacyUpdates.updateMany(http, entities, signal) : this.importMany(http, entities, signal);
  }

  createMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    return this.bulk(http, entities, 'CREATE', signal);
  }

  importMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    return this.bulk(http, entities, 'CREATE_AND_UPDATE', signal);
  }

  private async bulk(http: CountingHttp, entities: EntityPayload[], strategy: 'CREATE' | 'CREATE_AND_UPDATE', signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    const r = await this.importReport(http, entities, strategy, 'OBJECT', signal);
    const out = new Map<string, BulkItemResult>();
    const failed = new Map<string, Conflict[]>();
    for (const err of r.errors) {
      if (!err.uid || (err.trackerType && err.trackerType !== 'TRACKED_ENTITY')) continue;
      const list = failed.get(err.uid) ?? [];
      list.push({ object: err.uid, value: err.message, errorCode: err.errorCode });
      failed.set(err.uid, list);
    }
    // an import aborted by an exception (e.g. a UID taken by a concurrent import) wrote nothing
    const aborted = r.status === 'ERROR' && r.message !== undefined && r.stats.created + r.stats.updated === 0;
    const persisted = new Set(r.persistedUids);
    const created = new Set(r.createdUids);
    const updated = new Set(r.updatedUids);
    for (const e of entities) {
      const f = failed.get(e.uid);
      if (f) out.set(e.uid, { status: 'failed', conflicts: f });
      else if (persisted.has(e.uid)) {
        out.set(e.uid, { status: 'ok', created: strategy === 'CREATE' || created.has(e.uid) ? true : updated.has(e.uid) ? false : undefined });
      }
      else out.set(e.uid, aborted ? { status: 'unknown', notWritten: true } : { status: 'unknown' });
    }
    return out;
  }
}
