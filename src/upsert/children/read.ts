/** Reading enrollments and events out of either API's JSON (legacy and tracker names differ). */
import { HttpError } from '../../errors.js';
import type { CountingHttp } from '../api/http.js';
import type { Query } from '../../client/url.js';
import type { DataValue } from '../record-enrollments.js';
import type { FoundEnrollment, FoundEvent } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export type Dialect = 'legacy' | 'tracker';

export function foundEnrollment(o: unknown, d: Dialect): FoundEnrollment | undefined {
  if (!isObj(o) || typeof o.enrollment !== 'string') return undefined;
  return {
    uid: o.enrollment,
    program: str(o.program),
    trackedEntity: str(d === 'legacy' ? o.trackedEntityInstance : o.trackedEntity),
    status: str(o.status),
    enrolledAt: str(d === 'legacy' ? o.enrollmentDate : o.enrolledAt),
    orgUnit: str(o.orgUnit),
  };
}

function dataValues(list: unknown): DataValue[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isObj)
    .filter((d) => typeof d.dataElement === 'string' && d.value !== undefined && d.value !== null)
    .map((d) => ({ dataElement: d.dataElement as string, value: String(d.value) }));
}

export function foundEvent(o: unknown, d: Dialect): FoundEvent | undefined {
  if (!isObj(o) || typeof o.event !== 'string') return undefined;
  return {
    uid: o.event,
    programStage: str(o.programStage),
    enrollment: str(o.enrollment),
    status: str(o.status),
    occurredAt: str(d === 'legacy' ? o.eventDate : o.occurredAt),
    orgUnit: str(o.orgUnit),
    dataValues: dataValues(o.dataValues),
  };
}

/** GET by UID; 404 (unknown or soft-deleted) is undefined. */
export async function getOrUndefined(http: CountingHttp, path: string, query: Query, signal?: AbortSignal): Promise<unknown> {
  try {
    return (await http.get(path, query, signal)).body;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  }
}

/** The list of a list response, under whichever key this release uses. */
export function listOf(body: unknown, keys: string[]): unknown[] {
  if (!isObj(body)) return [];
  for (const k of keys) if (Array.isArray(body[k])) return body[k] as unknown[];
  return [];
}
