import { firstValue, parseBool, type RawQuery } from '../query/index.js';
import type { Dhis2Version } from '../versions.js';
import { badRequest } from '../web-message.js';

/** `POST /api/tracker` request parameters (spec §3.1), their values with the default first. */
export const TRACKER_ENUMS = {
  importStrategy: ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'],
  atomicMode: ['ALL', 'OBJECT'],
  importMode: ['COMMIT', 'VALIDATE'],
  validationMode: ['FULL', 'FAIL_FAST', 'SKIP'],
  flushMode: ['AUTO', 'OBJECT'],
  reportMode: ['ERRORS', 'WARNINGS', 'FULL'],
} as const;

type Enums = typeof TRACKER_ENUMS;
export type ImportStrategy = Enums['importStrategy'][number];
export type AtomicMode = Enums['atomicMode'][number];
export type ImportMode = Enums['importMode'][number];
export type ValidationMode = Enums['validationMode'][number];
export type ReportMode = Enums['reportMode'][number];

export interface TrackerImportParams {
  importStrategy: ImportStrategy;
  atomicMode: AtomicMode;
  importMode: ImportMode;
  validationMode: ValidationMode;
  reportMode: ReportMode;
}

/**
 * One enum parameter. 2.36–2.37 read the raw parameter map and fall back to the default on an
 * unknown value (TrackerImportParamsBuilder); from 2.38 an unknown value is a 400 listing the
 * allowed values (InvalidEnumValueException, then Spring binding of RequestParams in 2.40+).
 * Matching ignores case, as the 2.36 builder upper-cases (inferred for the later binders).
 */
export function readTrackerEnum<K extends keyof Enums>(query: RawQuery, name: K, version: Dhis2Version): Enums[K][number] {
  const allowed = TRACKER_ENUMS[name] as readonly string[];
  const raw = firstValue(query[name]);
  if (raw === undefined || raw.trim() === '') return allowed[0] as Enums[K][number];
  const hit = allowed.find((v) => v === raw.trim().toUpperCase());
  if (hit) return hit as Enums[K][number];
  if (version.below('2.38')) return allowed[0] as Enums[K][number];
  throw badRequest(`Value '${raw.slice(0, 100)}' is not valid for parameter ${name}. Valid values are: [${allowed.join(', ')}]`);
}

export function readImportParams(query: RawQuery, version: Dhis2Version): TrackerImportParams {
  readTrackerEnum(query, 'flushMode', version); // validated like the others, no effect in the emulator
  return {
    importStrategy: readTrackerEnum(query, 'importStrategy', version),
    atomicMode: readTrackerEnum(query, 'atomicMode', version),
    importMode: readTrackerEnum(query, 'importMode', version),
    validationMode: readTrackerEnum(query, 'validationMode', version),
    reportMode: readTrackerEnum(query, 'reportMode', version),
  };
}

/**
 * Sync or async (spec §3.1). 2.36–2.41: the sync handler is mapped by the exact query condition
 * `async=false`; anything else (absent, `FALSE`, `0`) goes to the async handler. 2.42+: a boolean
 * parameter (Spring conversion, default true); a non-boolean value is a 400.
 */
export function isAsync(query: RawQuery, version: Dhis2Version): boolean {
  const raw = firstValue(query.async);
  if (version.below('2.42')) return raw !== 'false';
  if (raw === undefined || raw.trim() === '') return true;
  const b = parseBool(raw);
  if (b === undefined) throw badRequest(`Value '${raw.slice(0, 100)}' is not valid for parameter async. It should be of type boolean`);
  return b;
}
