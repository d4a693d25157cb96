import { Router, type Request, type Response } from 'express';
import { canSearch } from '../dhis2/access.js';
import type { DomainContext } from '../dhis2/context.js';
import { renderLegacyEnrollment } from '../dhis2/enrollments/render.js';
import { searchEnrollments } from '../dhis2/enrollments/search.js';
import { importLegacyEnrollments } from '../dhis2/legacy/enrollment-import.js';
import { honoursDryRun } from '../dhis2/legacy/import.js';
import { readLegacyEnrollment, readLegacyEnrollmentsBody } from '../dhis2/legacy/input.js';
import { legacyEnrollmentCriteria } from '../dhis2/legacy/list-queries.js';
import { importOptionsEcho } from '../dhis2/legacy/options.js';
import type { ImportSummary } from '../dhis2/legacy/summary.js';
import { applyFields, buildPager, firstValue, parseFields, parsePaging, slice } from '../dhis2/query/index.js';
import { entityAsOf } from '../dhis2/search.js';
import { conflict, notFound } from '../dhis2/web-message.js';
import { methodNotAllowed } from './errors.js';
import { wantsDeep } from './legacy-tei-read.js';
import { readOptions, requireJson, respondSingle } from './legacy-tei-write.js';
import { sendImportSummaries } from './legacy-summaries.js';
import { requestScope } from './request.js';

/**
 * `/api/enrollments` (2.35–2.41, removed in 2.42): POST (one enrollment or `{enrollments: [...]}`
 * with nested events, `strategy`), PUT and DELETE by UID, the list and GET by UID.
 */
export function legacyEnrollmentRoutes(ctx: () => DomainContext): Router {
  const router = Router();

  router.post('/', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = readOptions(req);
    const items = await importLegacyEnrollments(c, requestScope(req, res), readLegacyEnrollmentsBody(req.body), { strategy: options.strategy, dryRun: options.dryRun && honoursDryRun(c) });
    sendImportSummaries(req, res, c, options, items, 'enrollments');
  });

  router.put('/:uid', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = { ...readOptions(req), strategy: 'UPDATE' as const };
    const input = { ...readLegacyEnrollment(req.body, '$'), enrollment: String(req.params.uid) };
    const [result] = await importLegacyEnrollments(c, requestScope(req, res), [input], { strategy: 'UPDATE', dryRun: false });
    respondSingle(res, { ...result, importOptions: importOptionsEcho(options, c.version) } as ImportSummary);
  });

  router.delete('/:uid', async (req: Request, res: Response) => {
    const [result] = await importLegacyEnrollments(ctx(), requestScope(req, res), [{ enrollment: String(req.params.uid), attributes: [], events: [] }], { strategy: 'DELETE', dryRun: false });
    respondSingle(res, result);
  });

  router.get('/', (req: Request, res: Response) => {
    const c = ctx();
    const user = res.locals.user;
    const criteria = legacyEnrollmentCriteria(c, user, req.query);
    const paging = parsePaging(req.query, { api: 'legacy', version: c.version });
    const found = searchEnrollments(c, user, criteria, res.locals.staleOverlay);
    const fields = firstValue(req.query.fields);
    const deep = wantsDeep(fields) || /(^|[,[])\s*events/.test(fields ?? '');
    const page = slice(found, paging).map((h) => renderLegacyEnrollment(c.meta, h.entity, h.enrollment, deep ? c.events.ofEnrollment(h.enrollment.uid) : undefined));
    const enrollments = fields === undefined ? page : (applyFields(page, parseFields(fields, ':all')) as unknown[]);
    // as the TEI list: a pager only with paging on and totalPages=true (inferred)
    if (paging.all || !paging.totalPages) return res.json({ enrollments });
    res.json({ pager: buildPager(paging, found.length), enrollments });
  });

  router.get('/:uid', (req: Request, res: Response) => {
    const c = ctx();
    const uid = String(req.params.uid);
    const owner = c.store.enrollment(uid)?.entity.uid;
    const entity = owner ? entityAsOf(c.store, owner, res.locals.staleOverlay) : undefined;
    const enrollment = entity?.enrollments.find((e) => e.uid === uid);
    if (!entity || !enrollment || enrollment.deleted) {
      throw c.version.atLeast('2.40') ? notFound(`Enrollment with id ${uid} could not be found.`, 'E1005') : notFound(`Enrollment not found for ID ${uid}`);
    }
    if (!canSearch(c.meta, res.locals.user, enrollment.orgUnit)) throw conflict(`[User has no read access to organisation unit: ${enrollment.orgUnit}]`);
    const fields = firstValue(req.query.fields);
    const rendered = renderLegacyEnrollment(c.meta, entity, enrollment, c.events.ofEnrollment(uid));
    res.json(fields === undefined ? rendered : applyFields(rendered, parseFields(fields, ':all')));
  });

  router.all('/', methodNotAllowed(['GET', 'POST']));
  router.all('/:uid', methodNotAllowed(['GET', 'PUT', 'DELETE']));
  return router;
}
