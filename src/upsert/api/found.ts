/** Reading tracked entities out of either API's JSON (legacy `trackedEntityInstance`, tracker `trackedEntity`). */
import { HttpError } from '../../errors.js';
import type { AttributeValue } from '../record.js';
import type { CountingHttp } from './http.js';
import type { FoundEntity } from './types.js';

type Obj = Record<string, unknown>;
export type UidField = 'trackedEntityInstance' | 'trackedEntity';

export function readAttributes(list: unknown): AttributeValue[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((a): a is Obj => typeof a === 'object' && a !== null)
    .filter((a) => typeof a.attribute === 'string' && a.value !== undefined && a.value !== null)
    .map((a) => ({ attribute: a.attribute as string, value: String(a.value) }));
}

/** One entity of a response, or undefined when it is not an entity object. */
export function foundEntity(t: unknown, uidField: UidField): FoundEntity | undefined {
  if (typeof t !== 'object' || t === null) return undefined;
  const o = t as Obj;
  if (typeof o[uidField] !== 'string') return undefined;
  return {
    uid: o[uidField] as string,
    trackedEntityType: typeof o.trackedEntityType === 'string' ? o.trackedEntityType : undefined,
    orgUnit: typeof o.orgUnit === 'string' ? o.orgUnit : undefined,
    attributes: readAttributes(o.attributes),
  };
}

export function foundEntities(list: unknown[], uidField: UidField): FoundEntity[] {
  return list.map((t) => foundEntity(t, uidField)).filter((e): e is FoundEntity => e !== undefined);
}

/** GET `<path>/<uid>`; a 404 (unknown or soft-deleted) is `undefined`. */
export async function readByUid(http: CountingHttp, path: string, uid: string, fields: string, uidField: UidField, signal?: AbortSignal): Promise<FoundEntity | undefined> {
  try {
    const res = await http.get<Obj>(`${path}/${uid}`, { fields }, signal);
    return foundEntity(res.body, uidField);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  }
}
