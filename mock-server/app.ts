import express, { type NextFunction, type Request, type Response } from 'express';
import { adminRoutes } from './routes/admin.js';
import { authenticate } from './routes/auth.js';
import { errorHandler, methodNotAllowed, notFoundRoute } from './routes/errors.js';
import { journalMiddleware } from './routes/journal-middleware.js';
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
  next();
}

export function buildApp(rt: MockRuntime, log: (msg: string) => void = console.error): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);

  app.use(journalMiddleware(rt.journal));
  app.use(normalisePath);
  const json = express.json({ limit: rt.options.bodyLimit, strict: false, type: ['application/json', 'application/*+json'] });

  app.use('/__admin', json, adminRoutes(rt));

  const api = express.Router();
  api.use(authenticate(() => rt.ctx.meta, () => rt.ctx.version));
  api.use((_req, res, next) => {
    res.locals.recordRequest?.();
    next();
  });
  api.use(json);
  api.use(systemRoutes(() => rt.ctx, rt.fixture.systemName ?? 'DHIS2'));

  const legacy = express.Router();
  legacy.use((req, _res, next) => {
    // 2.42 removed the legacy endpoint (commit "remove /trackedEntityInstances DHIS2-16564")
    if (rt.ctx.version.atLeast('2.42')) return next(notFound(`No handler found for ${req.method} ${req.originalUrl.split('?')[0]}`));
    next();
  });
  legacy.use(legacyReadRoutes(() => rt.ctx));
  legacy.use(legacyWriteRoutes(() => rt.ctx));
  legacy.all('/', methodNotAllowed(['GET', 'POST']));
  legacy.all('/:uid', methodNotAllowed(['GET', 'PUT', 'DELETE']));
  api.use('/trackedEntityInstances', legacy);

  api.use('/tracker', trackerRoutes(rt));
  api.use(metadataRoutes(() => rt.ctx));
  api.use(notFoundRoute);

  app.use('/api', api);
  app.use(notFoundRoute);
  app.use(errorHandler(log));
  return app;
}
