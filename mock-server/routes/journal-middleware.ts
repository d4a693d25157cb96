import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { textHash } from '../journal-size.js';
import { summariseBody, type Journal, type RequestEntry } from '../journal.js';

export function bodyHash(buf: Buffer): string {
  return textHash(buf);
}

/**
 * Records each request when it arrives (so faults and commits it causes follow it in order) and its
 * response when it ends, under one correlation id echoed in `X-Request-ID`. Later layers fill in
 * what only they know: the user after authentication (`res.locals.recordRequest()`), the body hash
 * when the body is read ({@link recordRawBody}), a fault's own summary (`res.locals.responseSummary`,
 * `res.locals.closeNote`).
 */
export function journalMiddleware(journal: Journal) {
  return (req: Request, res: Response, next: NextFunction) => {
    // the admin API is the observer, not part of the DHIS2 traffic being observed
    if (req.path.startsWith('/__admin')) return next();
    const requestId = randomUUID();
    const started = Date.now();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-ID', requestId);
    const queryIndex = req.originalUrl.indexOf('?');
    const entry: RequestEntry = journal.add({
      type: 'request',
      requestId,
      method: req.method,
      path: queryIndex >= 0 ? req.originalUrl.slice(0, queryIndex) : req.originalUrl,
      query: queryIndex >= 0 ? req.originalUrl.slice(queryIndex + 1) : '',
      bodyBytes: Number(req.headers['content-length'] ?? 0) || 0,
    });
    res.locals.journalRequest = entry;
    const recordUser = () => {
      const user = res.locals.user?.username;
      if (typeof user === 'string') entry.user = user;
    };
    // kept under this name: routers call it once the user is authenticated
    res.locals.recordRequest = recordUser;
    const originalJson = res.json.bind(res);
    res.json = (body: unknown) => {
      res.locals.responseSummary = summariseBody(body);
      return originalJson(body);
    };
    // One 'close' listener, not 'finish' + 'close': Node emits 'close' on every response, right
    // after 'finish' when it was sent, and a 'finish' listener on a response that carries a big
    // body measured about a quarter of the emulator's per-request CPU (README "Benchmarks").
    res.on('close', () => {
      recordUser();
      // the user, body size and hash were filled in after the entry was added
      journal.remeasure(entry);
      if (res.writableFinished) {
        journal.add({ type: 'response', requestId, status: res.statusCode, summary: res.locals.responseSummary ?? '', durationMs: Date.now() - started });
      } else {
        const summary = res.locals.closeNote ?? 'connection closed before a response was sent';
        journal.add({ type: 'response', requestId, status: 0, summary, durationMs: Date.now() - started });
      }
    });
    next();
  };
}

/** body-parser `verify` hook: size and hash of the raw bytes, as received. */
export function recordRawBody(_req: IncomingMessage, res: ServerResponse, buf: Buffer): void {
  const entry = (res as unknown as Response).locals?.journalRequest as RequestEntry | undefined;
  if (!entry) return;
  entry.bodyBytes = buf.length;
  if (buf.length > 0) entry.bodyHash = bodyHash(buf);
}
