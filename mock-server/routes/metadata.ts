import { Router, type NextFunction, type Request, type Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { getMetadata, isMetadataCollection, listMetadata } from '../dhis2/metadata/collections.js';
import { methodNotAllowed } from './errors.js';
import { requestScope } from './request.js';

/** Metadata collections an upsert client reads (spec §5); read-only in the emulator. */
export function metadataRoutes(ctx: () => DomainContext): Router {
  const router = Router();
  const known = (req: Request, _res: Response, next: NextFunction) => (isMetadataCollection(String(req.params.collection)) ? next() : next('route'));

  router.get('/:collection', known, (req, res) => {
    res.json(listMetadata(ctx(), String(req.params.collection), req.query, requestScope(req, res).origin));
  });
  router.get('/:collection/:id', known, (req, res) => {
    res.json(getMetadata(ctx(), String(req.params.collection), String(req.params.id), req.query));
  });
  // DHIS2 allows writes on these collections; the emulator's metadata is fixed by the fixture.
  router.all('/:collection', known, methodNotAllowed(['GET']));
  router.all('/:collection/:id', known, methodNotAllowed(['GET']));
  return router;
}
