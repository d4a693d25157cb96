import { Router, type Request, type Response } from 'express';
import { canSearch } from '../dhis2/access.js';
import type { DomainContext } from '../dhis2/context.js';
import { renderLegacyEvent } from '../dhis2/events/render.js';
import { eventAsOf, searchEvents } from '../dhis2/events/search.js';
import { readLegacyEvent, readLegacyEventsBody } from '../dhis2/legacy/event-input.js';
import { deleteLegacyEvent, importLegacyEvents } from '../dhis2/legacy/event-import.js';
import { legacyEventCriteria } from '../dhis2/legacy/list-queries.js';
import { importOptionsEcho } from '../dhis2/legacy/options.js';
import type { ImportSummary } from '../dhis2/legacy/summary.js';
import { applyFields, buildPager, firstValue, parseFields, parsePaging, slice } from '../dhis2/query/index.js';
import { conflict, notFound } from '../dhis2/web-message.js';
import { methodNotAllowed } from './errors.js';
import { readOptions, requireJson, respondSingle } from './legacy-tei-write.js';
import { sendImportSummaries } from './legacy-summaries.js';
import { requestScope, str } from './request.js';

/**
 * `/api/events` (2.35–2.41, removed in 2.42 with the other legacy tracker endpoints): POST (one
 * event or `{events: [...]}`, `strategy`, `mergeDataValues`), PUT and DELETE by UID, the list and
 * GET by UID. Routes translate shapes only; dhis2/legacy holds the import.
 */
export function legacyEventRoutes(ctx: () => DomainContext): Router {
  const router = Router();

  router.post('/', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = readOptions(req);
    const inputs = readLegacyEventsBody(req.body);
    const items = await importLegacyEvents(c, requestScope(req, res), inputs, { ...options, mergeDataValues: str(req.query.mergeDataValues) === 'true' });
    sendImportSummaries(req, res, c, options, items, 'events');
  });

  router.put('/:uid', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = { ...readOptions(req), strategy: 'UPDATE' as const };
    const input = { ...readLegacyEvent(req.body, '$'), event: String(req.params.uid) };
    const [result] = await importLegacyEvents(c, requestScope(req, res), [input], { ...options, mergeDataValues: str(req.query.mergeDataValues) === 'true' });
    respondSingle(res, { ...result, importOptions: importOptionsEcho(options, c.version) } as ImportSummary);
  });

  router.delete('/:uid', async (req: Request, res: Response) => {
    respondSingle(res, await deleteLegacyEvent(ctx(), requestScope(req, res), String(req.params.uid)));
  });

  router.get('/', (req: Request, res: Response) => {
    const c = ctx();
    const user = res.locals.user;
    const criteria = legacyEventCriteria(c, user, req.query);
    const paging = parsePaging(req.query, { api: 'legacy', version: c.version });
    const found = searchEvents(c, user, criteria, res.locals.staleEvents);
    const statusOf = (enrollment: string) => c.store.enrollment(enrollment)?.enrollment.status;
    const page = slice(found, paging).map((e) => renderLegacyEvent(c.meta, e, statusOf(e.enrollment)));
    const fields = firstValue(req.query.fields);
    const events = fields === undefined ? page : (applyFields(page, parseFields(fields, ':all')) as unknown[]);
    if (paging.all) return res.json({ events });
    // a full pager with totalPages=true; otherwise DHIS2's SlimPager (page, pageSize, isLastPage; inferred for 2.35)
    const pager = paging.totalPages
      ? buildPager(paging, found.length)
      : { page: paging.page, pageSize: paging.pageSize, isLastPage: paging.page * paging.pageSize >= found.length };
    res.json({ pager, events });
  });

  router.get('/:uid', (req: Request, res: Response) => {
    const c = ctx();
    const uid = String(req.params.uid);
    const event = eventAsOf(c, uid, res.locals.staleEvents);
    if (!event || event.deleted) {
      // 2.40 moved to NotFoundException like the TEI controller (inferred from it)
      throw c.version.atLeast('2.40') ? notFound(`Event with id ${uid} could not be found.`, 'E1005') : notFound(`Event not found for ID ${uid}`);
    }
    if (!canSearch(c.meta, res.locals.user, event.orgUnit)) throw conflict(`[User has no read access to organisation unit: ${event.orgUnit}]`);
    const rendered = renderLegacyEvent(c.meta, event, c.store.enrollment(event.enrollment)?.enrollment.status);
    const fields = firstValue(req.query.fields);
    res.json(fields === undefined ? rendered : applyFields(rendered, parseFields(fields, ':all')));
  });

  router.all('/', methodNotAllowed(['GET', 'POST']));
  router.all('/:uid', methodNotAllowed(['GET', 'PUT', 'DELETE']));
  return router;
}
