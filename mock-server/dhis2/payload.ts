import { conflict, Dhis2HttpError } from './web-message.js';

/**
 * Lenient readers for request JSON that behave like DHIS2's Jackson mapper: unknown properties are
 * ignored, scalars coerce to strings, empty strings read as null, and a value of the wrong shape
 * fails the whole request the way a JSON mapping error does.
 */
export class PayloadError extends Dhis2HttpError {
  constructor(message: string, status = 409) {
    super(status, message);
  }
}

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readString(obj: Obj, key: string, path: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  const v = obj[key];
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw mappingError(`${path}.${key}`, 'java.lang.String', v);
}

export function readBoolean(obj: Obj, key: string, path: string): boolean | undefined {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  const v = obj[key];
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  if (typeof v === 'number') return v !== 0;
  throw mappingError(`${path}.${key}`, 'boolean', v);
}

export function readArray(obj: Obj, key: string, path: string): unknown[] | undefined {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  const v = obj[key];
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  throw mappingError(`${path}.${key}`, 'java.util.ArrayList', v);
}

export function requireObject(v: unknown, path: string, javaType: string): Obj {
  if (isObject(v)) return v;
  throw mappingError(path, javaType, v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (v === null) return 'VALUE_NULL';
  if (typeof v === 'object') return 'START_OBJECT';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER_INT';
  return 'VALUE_TRUE';
}

function mappingError(path: string, javaType: string, v: unknown): PayloadError {
  return new PayloadError(
    `Cannot deserialize value of type \`${javaType}\` from ${describe(v).replace('START_', '').replace('VALUE_', '')} token at ${path}`,
  );
}

export { conflict };
