import { Router, type Request, type Response } from 'express';
import { canSearch } from '../dhis2/access.js';
import type { DomainContext } from '../dhis2/context.js';
import { teiGrid } from '../dhis2/legacy/grid.js';
import { legacyCriteria } from '../dhis2/legacy/search-criteria.js';
import { validateSearchScope } from '../dhis2/legacy/search-scope.js';
import { applyFields, firstValue, legacyListBody, parseBool, parseFields, parseOrder, parsePaging, slice, sortBy } from '../dhis2/query/index.js';
import { renderLegacyTei } from '../dhis2/render.js';
import { entityAsOf, searchEntities } from '../dhis2/search.js';
import type { StoredEntity } from '../dhis2/types.js';
import { conflict, notFound } from '../dhis2/web-message.js';
import { fieldsParam } from './discovery.js';
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
    // every `fields` repeat counts (ContextService#getFieldsFromRequestOrAll reads all values)
    const fields = fieldsParam(req.query.fields);
    const deep = wantsDeep(fields);
    const rendered = page.map((e) => renderLegacyTei(c.meta, c.version, e, { mode: 'list', program: criteria.program, deep, eventsOf: (u) => c.events.ofEnrollment(u) }));
    const tree = parseFields(fields, ':all');
    // no `fields` means `:all`, which projects nothing away
    const projected = fields === undefined ? rendered : (applyFields(rendered, tree) as unknown[]);
    res.json(legacyListBody(projected, paging, sorted.length));
  });

  // /count and /query run the list's criteria rules, then the search-scope (global search) rules
  router.get('/count', (req: Request, res: Response) => {
    const c = ctx();
    const user = res.locals.user;
    const criteria = legacyCriteria(c, user, req.query);
    validateSearchScope(c, user, criteria, { all: true, page: 1, pageSize: 50, totalPages: true });
    // a bare JSON number (`@ResponseBody int`, TrackedEntityInstanceController#getTrackedEntityInstanceCount)
    res.json(searchEntities(c, user, criteria, res.locals.staleOverlay).length);
  });

  router.get('/query', (req: Request, res: Response) => {
    const c = ctx();
    const user = res.locals.user;
    const criteria = legacyCriteria(c, user, req.query);
    const paging = parsePaging(req.query, { api: 'legacy', version: c.version });
    validateSearchScope(c, user, criteria, paging);
    const order = parseOrder(firstValue(req.query.order), { version: c.version, api: 'legacy', attributeExists: (a) => c.meta.attributes.has(a) });
    const found = searchEntities(c, user, criteria, res.locals.staleOverlay);
    const sorted = order.length > 0 ? sortBy(found, order, entityOrderValue) : found.sort(byCreated);
    const skipMeta = parseBool(firstValue(req.query.skipMeta)) === true;
    res.set('Cache-Control', 'no-cache').json(teiGrid(c, criteria, slice(sorted, paging), sorted.length, paging, skipMeta));
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
    const fields = fieldsParam(req.query.fields);
    const rendered = renderLegacyTei(c.meta, c.version, entity, { mode: 'single', program, deep: wantsDeep(fields), eventsOf: (u) => c.events.ofEnrollment(u) });
    res.json(fields === undefined ? rendered : applyFields(rendered, parseFields(fields, ':all')));
  });

  return router;
}

const byCreated = (a: StoredEntity, b: StoredEntity) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.uid < b.uid ? -1 : 1);
