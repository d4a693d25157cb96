import type { NextFunction, Request, Response } from 'express';
import type { Dhis2Version } from '../dhis2/versions.js';
import { Dhis2HttpError, webMessage } from '../dhis2/web-message.js';
import { jsonSyntaxStatus } from './body-errors.js';

/**
 * A known path with an unsupported method: CrudControllerAdvice renders Spring's
 * HttpRequestMethodNotSupportedException message as a 405 WebMessage. Spring 5 (DHIS2 ≤ 2.41) says
 * "Request method 'X' not supported", Spring 6 (2.42) "... is not supported" (version split inferred
 * from the Spring upgrade). `res.locals.dhis2Version` is set by the authentication middleware.
 */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, res: Response) => {
    const spring6 = (res.locals.dhis2Version as Dhis2Version | undefined)?.atLeast('2.42') ?? false;
    const message = `Request method '${req.method}' ${spring6 ? 'is not supported' : 'not supported'}`;
    res.status(405).set('Allow', allowed.join(', ')).json(webMessage(405, message));
  };
}

export function notFoundRoute(req: Request, res: Response) {
  res.status(404).json(webMessage(404, `No handler found for ${req.method} ${req.originalUrl.split('?')[0]}`));
}

/**
 * Every failure becomes a DHIS2-shaped WebMessage: domain errors with their status, JSON syntax
 * errors as DHIS2's message converter reports them, oversized bodies as 413; anything unexpected as
 * a 500 without a stack trace (logged once for the operator).
 */
export function errorHandler(log: (msg: string) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return res.destroy();
    if (err instanceof Dhis2HttpError) {
      return res.status(err.status).set(err.headers).json(err.toWebMessage());
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.too.large') {
      return res.status(413).json(webMessage(413, 'Request body is too large: the emulator accepts at most the configured body limit (default 10mb).'));
    }
    if (e?.type === 'entity.parse.failed' || err instanceof SyntaxError) {
      const status = jsonSyntaxStatus(req.path, res.locals.dhis2Version as Dhis2Version | undefined);
      return res.status(status).json(webMessage(status, `JSON parse error: ${String(e.message ?? 'malformed JSON').slice(0, 200)}`));
    }
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      return res.status(415).json(webMessage(415, String(e.message)));
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      return res.status(e.status).json(webMessage(e.status, String(e.message ?? 'Bad request')));
    }
    if ((err as { code?: string })?.code === 'DB_WRITE_FAILED') {
      // the operator's problem (disk, permissions), already worded for them: no stack trace
      log(`[dhis2-mock] ${(err as Error).message}`);
      return res.status(500).json(webMessage(500, (err as Error).message));
    }
    log(`[dhis2-mock] unexpected error on ${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? String(err)}`);
    res.status(500).json(webMessage(500, 'Internal emulator error; see the emulator log. Please report it with the request that caused it.'));
  };
}
