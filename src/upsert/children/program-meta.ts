/**
 * What the enrollment and event upsert needs to know about a program: whether it allows only one
 * enrollment (the enrollment UID then ignores the date, and any enrollment is adopted), which
 * stages are repeatable (an existing event of a non-repeatable stage is adopted), and which data
 * elements a stage requires (tracker updates must carry them, see event.ts). Cached per client like
 * attribute metadata: answers only, never a failed read.
 */
import { HarnessError, HttpError, InvalidRecordError } from '../../errors.js';
import type { CountingHttp } from '../api/http.js';
import { MetadataCache } from '../metadata-cache.js';

export interface StageMeta {
  id: string;
  repeatable: boolean;
  /** ON_COMPLETE (default) or ON_UPDATE_AND_INSERT */
  validationStrategy: string;
  compulsory: string[];
}

export interface ProgramMeta {
  id: string;
  onlyEnrollOnce: boolean;
  stages: Map<string, StageMeta>;
}

const FIELDS = 'id,onlyEnrollOnce,programStages[id,repeatable,validationStrategy,programStageDataElements[compulsory,dataElement[id]]]';
const cache = new MetadataCache<ProgramMeta>();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

export function parseProgramMeta(id: string, body: unknown): ProgramMeta {
  const b = isObj(body) ? body : {};
  const stages = new Map<string, StageMeta>();
  for (const s of Array.isArray(b.programStages) ? b.programStages.filter(isObj) : []) {
    if (typeof s.id !== 'string') continue;
    const psdes = Array.isArray(s.programStageDataElements) ? s.programStageDataElements.filter(isObj) : [];
    stages.set(s.id, {
      id: s.id,
      repeatable: s.repeatable === true,
      validationStrategy: typeof s.validationStrategy === 'string' ? s.validationStrategy : 'ON_COMPLETE',
      compulsory: psdes.filter((p) => p.compulsory === true && isObj(p.dataElement) && typeof p.dataElement.id === 'string').map((p) => (p.dataElement as Obj).id as string),
    });
  }
  return { id, onlyEnrollOnce: b.onlyEnrollOnce === true, stages };
}

export function programMeta(http: CountingHttp, id: string, signal?: AbortSignal): Promise<ProgramMeta> {
  const read = () => http.get(`programs/${id}`, { fields: FIELDS }).then((res) => parseProgramMeta(id, res.body));
  return cache.read(http.client, id, read, signal).catch((err: unknown): ProgramMeta => {
    if (err instanceof HttpError && err.status === 404) throw new InvalidRecordError(`Program ${id} does not exist on this server (GET /api/programs/${id} answered 404).`);
    if (err instanceof HttpError && err.status === 403) {
      throw new HarnessError(`Cannot read program ${id} (HTTP 403): the upsert needs its onlyEnrollOnce flag and stages to know which enrollment and events are the record's. Nothing was written; give this user metadata read access to the program.`);
    }
    throw err;
  });
}

/** The stage's metadata, or an InvalidRecordError naming the program's stages. */
export function stageOf(meta: ProgramMeta, stage: string): StageMeta {
  const s = meta.stages.get(stage);
  if (!s) throw new InvalidRecordError(`Program stage ${stage} is not a stage of program ${meta.id} (its stages: ${[...meta.stages.keys()].join(', ') || 'none'}).`);
  return s;
}
