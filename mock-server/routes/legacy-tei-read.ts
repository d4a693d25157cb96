import { Router, type Request, type Response } from 'express';
import { canSearch } from '../dhis2/access.js';
import type { DomainContext } from '../dhis2/context.js';
import { legacyCriteria } from '../dhis2/legacy/search-criteria.js';
import { applyFields, firstValue, legacyListBody, parseFields, parseOrder, parsePaging, slice, sortBy } from '../dhis2/query/index.js';
import { renderLegacyTei } from '../dhis2/render.js';
import { entityAsOf, searchEntities } from '../dhis2/search.js';
import type { StoredEntity } from '../dhis2/types.js';
import { conflict, notFound } from '../dhis2/web-message.js';
import { entityOrderValue } from './order-values.js';

/** Does the field filter ask for the collections DHIS2 loads only on request (spec §2.2 fields)? */
export function wantsDeep(fields: string | undefined): boolean {
  if (!fields) return false;
  return /(^|[,[])\s*(\*|enrollments|programOwners|relationships)/.test(fields);
}

/** GET /api/trackedEntityInstances and /{uid} (spec §2.2, §2.3). */
export function legacyReadRoutes(ctx: () => DomainContext): Router {
  const router = Router();

  router.get('/', (req: Request, res: Response) => {
    const c = ctx();
    const user = res.locals.user;
    const criteria = legacyCriteria(c, user, req.query);
    const paging = parsePaging(req.query, { api: 'legacy', version: c.version });
    const order = parseOrder(firstValue(req.query.order), { version: c.version, api: 'legacy', attributeExists: (a) => c.meta.attributes.has(a) });
    const found = searchEntities(c, user, criteria, res.locals.staleOverlay);
    const sorted = order.length > 0 ? sortBy(found, order, entityOrderValue) : found.sort(byCreated);
    const page = slice(sorted, paging);
    const fieldsParam = firstValue(req.query.fields);
    const deep = wantsDeep(fieldsParam);
    const rendered = page.map((e) => renderLegacyTei(c.meta, c.version, e, { mode: 'list', program: criteria.program, deep, eventsOf: (u) => c.events.ofEnrollment(u) }));
    const tree = parseFields(fieldsParam, ':all');
    // no `fields` means `:all`, which projects nothing away
    const projected = fieldsParam === undefined ? rendered : (applyFields(rendered, tree) as unknown[]);
    res.json(legacyListBody(projected, paging, sorted.length));
  });

  router.get('/:uid', (req: Request, res: Response) => {
    const c = ctx();
    const uid = String(req.params.uid);
    const program = firstValue(req.query.program);
    const modern = c.version.atLeast('2.40');
    if (program && !c.meta.programs.has(program)) {
      throw modern ? notFound(`Program with id ${program} could not be found.`, 'E1005') : notFound(`Program not found for uid: ${program}`);
    }
    const entity = entityAsOf(c.store, uid, res.locals.staleOverlay);
    if (!entity || entity.deleted) {
      throw modern ? notFound(`TrackedEntityInstance with id ${uid} could not be found.`, 'E1005') : notFound(`TrackedEntityInstance not found for uid: ${uid}`);
    }
    if (!canSearch(c.meta, res.locals.user, entity.orgUnit)) {
      throw conflict(`[User has no read access to organisation unit: ${entity.orgUnit}]`);
    }
    const fieldsParam = firstValue(req.query.fields);
    const rendered = renderLegacyTei(c.meta, c.version, entity, { mode: 'single', program, deep: wantsDeep(fieldsParam), eventsOf: (u) => c.events.ofEnrollment(u) });
    res.json(fieldsParam === undefined ? rendered : applyFields(rendered, parseFields(fieldsParam, ':all')));
  });

  return router;
}

const byCreated = (a: StoredEntity, b: StoredEntity) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.uid < b.uid ? -1 : 1);
