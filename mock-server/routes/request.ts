import type { Request, Response } from 'express';
import type { RequestScope } from '../dhis2/context.js';

/** The first value of a query parameter (DHIS2 binds single-valued params from the first). */
export function str(v: unknown): string | undefined {
  if (Array.isArray(v)) return str(v[0]);
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable query parameter. */
export function list(v: unknown): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function requestScope(req: Request, res: Response): RequestScope {
  return { user: res.locals.user, requestId: res.locals.requestId ?? 'unknown', origin: `${req.protocol}://${req.get('host') ?? 'localhost'}` };
}
