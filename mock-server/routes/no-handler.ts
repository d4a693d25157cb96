import type { Request, Response } from 'express';
import type { RequestEntry } from '../journal.js';
import type { UnhandledLog } from '../unhandled.js';
import { notFoundRoute } from './errors.js';

/**
 * The last route: DHIS2's own "No handler found" 404, and a note that the emulator could not
 * answer as DHIS2 would, both in the unhandled log (`GET /__admin/unhandled`) and on the request's
 * journal entry (`unhandled: true`), so a verdict built on this answer can say so.
 */
export function noHandlerRoute(log: UnhandledLog) {
  return (req: Request, res: Response) => {
    const entry = res.locals.journalRequest as RequestEntry | undefined;
    if (entry) entry.unhandled = true;
    const q = req.originalUrl.indexOf('?');
    log.record({ method: req.method, path: q >= 0 ? req.originalUrl.slice(0, q) : req.originalUrl, status: 404, requestId: res.locals.requestId as string | undefined });
    notFoundRoute(req, res);
  };
}
