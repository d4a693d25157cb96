import { createHash, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Journal } from '../journal.js';

/** Records each request and its response in the journal, with a correlation id. */
export function journalMiddleware(journal: Journal) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID();
    const started = Date.now();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-ID', requestId);
    const queryIndex = req.originalUrl.indexOf('?');
    let bodyRecorded = false;
    const recordRequest = () => {
      if (bodyRecorded) return;
      bodyRecorded = true;
      const raw = req.body === undefined ? '' : JSON.stringify(req.body);
      journal.add({
        type: 'request', requestId, method: req.method, path: queryIndex >= 0 ? req.originalUrl.slice(0, queryIndex) : req.originalUrl,
        query: queryIndex >= 0 ? req.originalUrl.slice(queryIndex + 1) : '', user: res.locals.user?.username,
        bodyBytes: Number(req.headers['content-length'] ?? Buffer.byteLength(raw)),
        bodyHash: raw ? createHash('sha256').update(raw).digest('hex').slice(0, 16) : undefined,
      });
    };
    res.locals.recordRequest = recordRequest;
    const originalJson = res.json.bind(res);
    res.json = (body: unknown) => {
      res.locals.responseSummary = summarise(body);
      return originalJson(body);
    };
    res.on('finish', () => {
      recordRequest();
      journal.add({ type: 'response', requestId, status: res.statusCode, summary: res.locals.responseSummary ?? '', durationMs: Date.now() - started });
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        recordRequest();
        journal.add({ type: 'response', requestId, status: 0, summary: 'connection closed before a response was sent', durationMs: Date.now() - started });
      }
    });
    next();
  };
}

function summarise(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const parts = [b.status, b.message].filter((x) => typeof x === 'string');
  const response = b.response as Record<string, unknown> | undefined;
  if (response && typeof response === 'object') {
    for (const k of ['imported', 'updated', 'deleted', 'ignored']) if (typeof response[k] === 'number' && response[k]) parts.push(`${k}=${response[k]}`);
  }
  return parts.join(' ').slice(0, 300);
}
