import { Router } from 'express';
import type { DomainContext } from '../dhis2/context.js';

/** Metadata collections an upsert client reads (spec §5). */
export function metadataRoutes(_ctx: () => DomainContext): Router {
  return Router();
}
