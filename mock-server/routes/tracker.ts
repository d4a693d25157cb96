import { Router } from 'express';
import type { MockRuntime } from '../runtime.js';
import { webMessage } from '../dhis2/web-message.js';

/** /api/tracker (spec §3). In 2.35 the path is a stub answering 501 (TrackerController). */
export function trackerRoutes(rt: MockRuntime): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (rt.ctx.version.below('2.36')) {
      if (req.method === 'POST' && req.path === '/') return res.status(501).json(webMessage(501, 'Not Implemented'));
      return res.status(404).json(webMessage(404, `No handler found for ${req.method} ${req.originalUrl.split('?')[0]}`));
    }
    next();
  });
  return router;
}
