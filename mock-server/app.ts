import express, { type NextFunction, type Request, type Response } from 'express';
import { adminRoutes } from './routes/admin.js';
import { authenticate } from './routes/auth.js';
import { errorHandler, methodNotAllowed, notFoundRoute } from './routes/errors.js';
import { faultMiddleware } from './faults/middleware.js';
import { journalMiddleware, recordRawBody } from './routes/journal-middleware.js';
import { legacyEnrollmentRoutes } from './routes/legacy-enrollments.js';
import { legacyEventRoutes } from './routes/legacy-events.js';
import { legacyReadRoutes } from './routes/legacy-tei-read.js';
import { legacyWriteRoutes } from './routes/legacy-tei-write.js';
import { metadataRoutes } from './routes/metadata.js';
import { systemRoutes } from './routes/system.js';
import { trackerRoutes } from './routes/tracker.js';
import type { MockRuntime } from './runtime.js';
import { notFound } from './dhis2/web-message.js';

/**
 * `/api/40/trackedEntityInstances.json` → `/api/trackedEntityInstances`: DHIS2 serves every
 * controller under a numeric version prefix and honours a `.json` suffix (spec §1).
 */
function normalisePath(req: Request, _res: Response, next: NextFunction) {
  const q = req.url.indexOf('?');
  const path = q >= 0 ? req.url.slice(0, q) : req.url;
  const normalised = path.replace(/^\/api\/\d{2}(?=\/)/, '/api').replace(/\.json$/, '');
  if (normalised !== path) req.url = normalised + (q >= 0 ? req.url.slice(q) : '');
  // Express 5's `req.query` is a getter that re-parses the query string on every read, and a
  // search route reads it half a dozen times: parse once and keep the result on the request.
  Object.defineProperty(req, 'query', { value: req.query, writable: true, configurable: true, enumerable: true });
  next();
}

/**
 * An express app with the emulator's settings and nothing mounted. The bench's "express ceiling"
 * is built from this too, so both measure the same stack.
 */
export function createExpressApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  return app;
}

export function buildApp(rt: MockRuntime, log: (msg: string) => void = console.error): express.Express {
  const app = createExpressApp();

  app.use(journalMiddleware(rt.journal));
  app.use(normalisePath);
  const json = express.json({ limit: rt.options.bodyLimit, strict: false, type: ['application/json', 'application/*+json'], verify: recordRawBody });

  app.use('/__admin', json, adminRoutes(rt));
  // after the admin API (never faulted), before everything DHIS2 answers
  app.use(faultMiddleware({ engine: rt.faults, journal: rt.journal, store: () => rt.ctx.store, events: () => rt.ctx.events }));

  const api = express.Router();
  api.use(authenticate(() => rt.ctx.meta, () => rt.ctx.version));
  api.use((_req, res, next) => {
    res.locals.recordRequest?.();
    next();
  });
  api.use(json);

  // 2.42 removed the legacy endpoints (DHIS2-16564: "remove /trackedEntityInstances", and
  // dhis2-core PR #17358 "remove old tracker endpoints": /enrollments, /events, /relationships)
  const legacyOnly = (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    if (rt.ctx.version.atLeast('2.42')) return next(notFound(`No handler found for ${req.method} ${req.originalUrl.split('?')[0]}`));
    next();
  };
  const legacy = express.Router();
  legacy.use(legacyOnly);
  legacy.use(legacyReadRoutes(() => rt.ctx));
  legacy.use(legacyWriteRoutes(() => rt.ctx));
  legacy.all('/', methodNotAllowed(['GET', 'POST']));
  legacy.all('/:uid', methodNotAllowed(['GET', 'PUT', 'DELETE']));
  api.use('/trackedEntityInstances', legacy);
  api.use('/enrollments', legacyOnly, legacyEnrollmentRoutes(() => rt.ctx));
  api.use('/events', legacyOnly, legacyEventRoutes(() => rt.ctx));

  api.use('/tracker', trackerRoutes(rt));
  // after the tracked-entity routes: a sub-router without a mount path is entered by every
  // request that reaches it, and the hot paths need not pay for it (paths do not overlap)
  api.use(systemRoutes(() => rt.ctx, rt.fixture.systemName ?? 'DHIS2'));
  api.use(metadataRoutes(() => rt.ctx));
  api.use(notFoundRoute);

  app.use('/api', api);
  app.use(notFoundRoute);
  app.use(errorHandler(log));
  return app;
}
