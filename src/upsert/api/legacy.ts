/**
 * The legacy `/api/trackedEntityInstances` API (2.35–2.41; removed in 2.42). Spec §2.2–§2.5.
 * Creates POST with the client UID and strategy CREATE_AND_UPDATE, so a repeated create is an
 * update of the same UID; updates PUT the merged attribute list (never `?program=`, which would
 * delete omitted program attributes).
 */
import { parseLegacyImport } from '../../client/responses.js';
import type { Dhis2VersionInfo } from '../../client/version.js';
import { type Conflict, Dhis2ConflictError, HarnessError } from '../../errors.js';
import { keyFilter } from './filter.js';
import { foundEntities, readByUid } from './found.js';
import type { CountingHttp } from './http.js';
import type { BulkItemResult, EntityPayload, FoundEntity, KeySearch, TeApi, WriteResult } from './types.js';

const FIELDS = 'trackedEntityInstance,trackedEntityType,orgUnit,attributes[attribute,value]';

type Obj = Record<string, unknown>;


function toDto(e: EntityPayload): Obj {
  return { trackedEntityInstance: e.uid, trackedEntityType: e.trackedEntityType, orgUnit: e.orgUnit, attributes: e.attributes };
}

function conflictsOf(s: { conflicts: { object?: string; value: string }[]; description?: string; reference?: string }): Conflict[] {
  const list: Conflict[] = s.conflicts.map((c) => ({ object: c.object, value: c.value }));
  if (list.length === 0 && s.description) list.push({ object: s.reference, value: s.description });
  return list;
}

export class LegacyApi implements TeApi {
  readonly kind = 'legacy' as const;
  constructor(readonly version: Dhis2VersionInfo) {}

  async search(http: CountingHttp, q: KeySearch, signal?: AbortSignal): Promise<FoundEntity[]> {
    const scope = q.orgUnit ? { ou: q.orgUnit, ouMode: 'SELECTED' } : { ouMode: 'ACCESSIBLE' };
    const res = await http.get<Obj>(
      'trackedEntityInstances',
      {
        ...scope,
        trackedEntityType: q.trackedEntityType,
        filter: keyFilter('legacy', this.version, q.attribute, q.values),
        fields: FIELDS,
        skipPaging: true,
      },
      signal,
    );
    const list = res.body?.trackedEntityInstances;
    if (!Array.isArray(list)) {
      throw new HarnessError(`GET /api/trackedEntityInstances returned no trackedEntityInstances list: ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    return foundEntities(list, 'trackedEntityInstance');
  }

  read(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEntity | undefined> {
    return readByUid(http, 'trackedEntityInstances', uid, FIELDS, 'trackedEntityInstance', signal);
  }

  async create(http: CountingHttp, e: EntityPayload, signal?: AbortSignal): Promise<WriteResult> {
    const res = await http.post('trackedEntityInstances', toDto(e), { strategy: 'CREATE_AND_UPDATE' }, signal);
    const parsed = parseLegacyImport(res.body);
    const s = parsed.summaries.find((x) => x.reference === e.uid) ?? parsed.summaries[0];
    if (!s || s.status === 'ERROR') {
      throw new HarnessError(`POST /api/trackedEntityInstances answered ${res.status} without a successful summary for ${e.uid}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    if (s.reference && s.reference !== e.uid) {
      throw new HarnessError(`DHIS2 stored the entity under ${s.reference} instead of the requested UID ${e.uid}; this server does not honour client UIDs.`);
    }
    return { uid: e.uid, created: s.importCount.imported > 0 || s.importCount.updated === 0 };
  }

  async update(http: CountingHttp, e: EntityPayload, signal?: AbortSignal): Promise<WriteResult> {
    const res = await http.put(`trackedEntityInstances/${e.uid}`, toDto(e), undefined, signal);
    const parsed = parseLegacyImport(res.body);
    const s = parsed.summaries[0];
    if (!s || s.status === 'ERROR') {
      throw new HarnessError(`PUT /api/trackedEntityInstances/${e.uid} answered ${res.status} without a successful summary: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    return { uid: e.uid, created: false };
  }

  createMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    // legacy summaries say per entity whether it was imported or updated
    return this.importMany(http, entities, signal);
  }

  updateMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    // POST-as-update merges attributes and never deletes omitted ones (spec §2.4)
    return this.importMany(http, entities, signal);
  }

  async importMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>> {
    let body: unknown;
    try {
      body = (await http.post('trackedEntityInstances', { trackedEntityInstances: entities.map(toDto) }, { strategy: 'CREATE_AND_UPDATE' }, signal)).body;
    } catch (err) {
      // A 409 still carries per-TEI summaries: partial success is normal in the legacy API.
      if (!(err instanceof Dhis2ConflictError)) throw err;
      body = err.body;
    }
    const out = new Map<string, BulkItemResult>();
    const unreferenced: Conflict[] = [];
    for (const s of parseLegacyImport(body).summaries) {
      if (!s.reference) {
        unreferenced.push(...conflictsOf(s));
        continue;
      }
      if (s.status === 'ERROR') out.set(s.reference, { status: 'failed', conflicts: conflictsOf(s) });
      else out.set(s.reference, { status: 'ok', created: s.importCount.imported > 0 });
    }
    for (const e of entities) {
      if (out.has(e.uid)) continue;
      out.set(e.uid, unreferenced.length ? { status: 'failed', conflicts: unreferenced } : { status: 'unknown' });
    }
    return out;
  }
}
