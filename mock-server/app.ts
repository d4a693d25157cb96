import express from 'express';
import { adminRoutes } from './routes/admin.js';
import { normalisePath } from './routes/api-path.js';
import { authenticate } from './routes/auth.js';
import { rejectInvalidUtf8 } from './routes/body-encoding.js';
import { discoveryRoutes } from './routes/discovery.js';
import { errorHandler, methodNotAllowed } from './routes/errors.js';
import { noHandlerRoute } from './routes/no-handler.js';
import { faultMiddleware } from './faults/middleware.js';
import { journalMiddleware, recordRawBody } from './routes/journal-middleware.js';
import { legacyEnrollmentRoutes } from './routes/legacy-enrollments.js';
import { legacyEventRoutes } from './routes/legacy-events.js';
import { legacyReadRoutes } from './routes/legacy-tei-read.js';
import { legacyWriteRoutes } from './routes/legacy-tei-write.js';
import { metadataRoutes } from './routes/metadata.js';
import { answerOptions } from './routes/options.js';
import { systemRoutes } from './routes/system.js';
import { trackerRoutes } from './routes/tracker.js';
import type { MockRuntime } from './runtime.js';
import { notFound } from './dhis2/web-message.js';

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
  app.use(normalisePath(() => rt.ctx.version));
  const json = express.json({ limit: rt.options.bodyLimit, strict: false, type: ['application/json', 'application/*+json'], verify: (req, res, buf, encoding) => {
    recordRawBody(req, res, buf);
    rejectInvalidUtf8(req, res, buf, encoding);
  } });

  app.use('/__admin', json, adminRoutes(rt));
  // after the admin API (never faulted), before everything DHIS2 answers
  app.use(faultMiddleware({ engine: rt.faults, journal: rt.journal, store: () => rt.ctx.store, events: () => rt.ctx.events }));

  const api = express.Router();
  api.use(authenticate(() => rt.ctx.meta, () => rt.ctx.version));
  api.use((_req, res, next) => {
    res.locals.recordRequest?.();
    next();
  });
  api.use(answerOptions(() => rt.ctx.version));
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
  api.use(discoveryRoutes(() => rt.ctx));
  api.use(metadataRoutes(() => rt.ctx));
  api.use(noHandlerRoute(rt.unhandled));

  app.use('/api', api);
  app.use(noHandlerRoute(rt.unhandled));
  app.use(errorHandler(log));
  return app;
}
