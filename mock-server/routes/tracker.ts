import { Router, type NextFunction, type Request, type Response } from 'express';
import { canSearch } from '../dhis2/access.js';
import type { DomainContext } from '../dhis2/context.js';
import { applyFields, firstValue, parseFields, parseOrder, parsePaging, QueryError, slice, sortBy, trackerListBody } from '../dhis2/query/index.js';
import { generateUid, isUid } from '../dhis2/random.js';
import { renderTrackerTe } from '../dhis2/render.js';
import { entityAsOf, searchEntities } from '../dhis2/search.js';
import { trackerExportQuery } from '../dhis2/tracker/export-criteria.js';
import { importTracker } from '../dhis2/tracker/import.js';
import { TrackerJobRegistry } from '../dhis2/tracker/jobs.js';
import { isAsync, readImportParams, readTrackerEnum } from '../dhis2/tracker/params.js';
import { readTrackerBody } from '../dhis2/tracker/payload.js';
import { buildImportReport, reportHttpStatus } from '../dhis2/tracker/report.js';
import type { StoredEntity } from '../dhis2/types.js';
import { conflict, Dhis2HttpError, notFound, webMessage } from '../dhis2/web-message.js';
import type { MockRuntime } from '../runtime.js';
import { wantsDeep } from './legacy-tei-read.js';
import { entityOrderValue } from './order-values.js';
import { readTrackerOr500 } from './body-errors.js';
import { isJson, mediaTypeOf, unsupportedMediaType } from './content-type.js';
import { fieldsParam } from './discovery.js';
import { requestScope } from './request.js';
import { trackerExportRoutes } from './tracker-exports.js';

/**
 * The TE export's default `fields` (list and single). 2.36–2.38 take ContextService's `:all` and
 * load no collections (TrackedEntityInstanceParams.FALSE: `enrollments`, `relationships`,
 * `programOwners` render as `[]`); from 2.39 the controllers default to
 * `*,!relationships,!enrollments,!events,!programOwners`, so those keys are absent
 * (TrackerTrackedEntitiesExportController at 2.37 and 2.39, TrackedEntitiesExportController 2.40+).
 */
const defaultFields = (c: DomainContext) => (c.version.atLeast('2.39') ? '*,!relationships,!enrollments,!events,!programOwners' : ':all');

/**
 * Before 2.39 `fields` only decides which collections are loaded (`*` or a named collection); the
 * controllers return the TE objects unfiltered through Jackson. From 2.39 FieldFilterService
 * projects them.
 */
const project = (c: DomainContext, value: unknown, fields: string) => (c.version.atLeast('2.39') ? applyFields(value, parseFields(fields)) : value);

/**
 * `GET /api/tracker/jobs/{uid}/report` of an unknown or unfinished job: 2.35–2.37 throw Spring's
 * HttpClientErrorException(NOT_FOUND), rendered with its message "404 NOT_FOUND"; 2.38–2.39
 * NotFoundException.notFoundUid; 2.40 NotFoundException(JobConfiguration.class, uid) with E1005;
 * 2.41+ "Summary for job <uid> does not exist" (TrackerController 2.35, TrackerImportController).
 */
function reportNotFound(c: DomainContext, uid: string): Dhis2HttpError {
  const v = c.version;
  if (v.below('2.38')) return notFound('404 NOT_FOUND');
  if (v.below('2.40')) return notFound(`Object not found for uid: ${uid}`);
  if (v.below('2.41')) return notFound(`JobConfiguration with id ${uid} could not be found.`, 'E1005');
  return notFound(`Summary for job ${uid} does not exist`, 'E1005');
}

/**
 * /api/tracker (spec §3): import (sync and async jobs), job status and report, tracked entity
 * export. Routes translate shapes only; the import and the criteria rules live in dhis2/tracker.
 * In 2.35 the path is a stub answering 501 (TrackerController).
 */
export function trackerRoutes(rt: MockRuntime): Router {
  const router = Router();
  const jobs = new TrackerJobRegistry({ uid: () => generateUid(rt.ctx.rng), clock: () => rt.ctx.clock() });
  rt.onReset.push(() => jobs.clear());

  // 2.35's TrackerController maps the import (a 501 stub, JSON only) and the two job endpoints
  router.use((req, res, next) => {
    if (rt.ctx.version.below('2.36') && !(req.method === 'POST' && req.path === '/') && !/^\/jobs\/[^/]+(\/report)?$/.test(req.path)) {
      return res.status(404).json(webMessage(404, `No handler found for ${req.method} ${req.originalUrl.split('?')[0]}`));
    }
    next();
  });

  router.post('/', async (req: Request, res: Response) => {
    const c = rt.ctx;
    // consumes = application/json (2.35–2.42); the CSV mappings take events only, which the
    // emulator does not model, so they get an explicit emulator answer instead of a made-up import
    const type = mediaTypeOf(req);
    if (/^(application|text)\/csv$/.test(type) && c.version.atLeast('2.36')) {
      throw new Dhis2HttpError(501, 'The emulator imports tracker JSON only: DHIS2 accepts CSV events on this endpoint, the emulator does not model events.');
    }
    if (!isJson(type)) throw unsupportedMediaType(req, c.version);
    if (c.version.below('2.36')) return res.status(501).json(webMessage(501, 'Not Implemented'));
    const params = readImportParams(req.query, c.version);
    const async = isAsync(req.query, c.version);
    const bundle = readTrackerOr500(c.version, () => readTrackerBody(req.body, c.version, c.rng));
    const scope = requestScope(req, res);
    if (!async) {
      const report = buildImportReport(c.version, await importTracker(c, scope, bundle, params), params.reportMode);
      return res.status(reportHttpStatus(report)).json(report);
    }
    const id = generateUid(c.rng);
    const modern = c.version.atLeast('2.42');
    // 2.42 maps the dispatcher at /* (no /api in the link) and bypasses the Location-header advice
    const location = `${scope.origin}${modern ? '' : '/api'}/tracker/jobs/${id}`;
    const response = c.version.minor === 41 ? { id, location } : { responseType: 'TrackerJob', id, location };
    if (!modern) res.location(location);
    res.status(200).json(webMessage(200, 'Tracker job added', { response }));
    jobs.submit(id, scope.user.username, () => importTracker(c, scope, bundle, params));
  });

  router.get('/jobs/:uid', (req: Request, res: Response) => {
    res.json(jobs.get(String(req.params.uid))?.notifications ?? []);
  });

  router.get('/jobs/:uid/report', (req: Request, res: Response) => {
    const c = rt.ctx;
    const uid = String(req.params.uid);
    const reportMode = readTrackerEnum(req.query, 'reportMode', c.version);
    const result = jobs.get(uid)?.result;
    if (!result) throw reportNotFound(c, uid);
    res.json(buildImportReport(c.version, result, reportMode));
  });

  router.get('/trackedEntities', (req: Request, res: Response) => {
    const c = rt.ctx;
    const user = res.locals.user;
    const { criteria, potentialDuplicate } = trackerExportQuery(c, user, req.query);
    const paging = parsePaging(req.query, { api: 'tracker', version: c.version });
    const order = parseOrder(firstValue(req.query.order), { version: c.version, api: 'tracker', attributeExists: (a) => c.meta.attributes.has(a) });
    // a stale-search fault answers from an older state, as a lagging replica would
    let found = searchEntities(c, user, criteria, res.locals.staleOverlay);
    if (potentialDuplicate !== undefined) found = found.filter((e) => e.potentialDuplicate === potentialDuplicate);
    const sorted = order.length > 0 ? sortBy(found, order, entityOrderValue) : found.sort(byCreated);
    const fields = fieldsParam(req.query.fields) ?? defaultFields(c);
    const deep = wantsDeep(fields);
    const page = slice(sorted, paging).map((e) => renderTrackerTe(c.meta, c.version, e, { mode: 'list', program: criteria.program, deep, eventsOf: (u) => c.events.ofEnrollment(u) }));
    const items = project(c, page, fields) as unknown[];
    const links = { endpoint: `${requestScope(req, res).origin}/api/tracker/trackedEntities`, query: req.query };
    res.json(trackerListBody(items, paging, sorted.length, c.version, links));
  });

  router.get('/trackedEntities/:uid', (req: Request, res: Response) => {
    const c = rt.ctx;
    const v = c.version;
    const uid = String(req.params.uid);
    const shown = uid.slice(0, 100);
    if (v.atLeast('2.41') && !isUid(uid)) {
      throw new Dhis2HttpError(400, `Value '${shown}' is not valid for path parameter uid. UID must be an alphanumeric string of 11 characters starting with a letter, but was: ${shown}`);
    }
    const program = firstValue(req.query.program);
    if (program && !c.meta.programs.has(program)) {
      throw v.atLeast('2.40') ? notFound(`Program with id ${program} could not be found.`, 'E1005') : notFound(`Program not found for uid: ${program}`);
    }
    const entity = entityAsOf(c.store, uid, res.locals.staleOverlay);
    if (!entity || entity.deleted) {
      if (v.atLeast('2.41')) throw notFound(`TrackedEntity with id ${uid} could not be found.`, 'E1005');
      throw v.atLeast('2.40') ? notFound(`TrackedEntityInstance with id ${uid} could not be found.`, 'E1005') : notFound(`TrackedEntityInstance not found for uid: ${uid}`);
    }
    if (!canSearch(c.meta, res.locals.user, entity.orgUnit)) throw conflict(`[User has no read access to organisation unit: ${entity.orgUnit}]`);
    const fields = fieldsParam(req.query.fields) ?? defaultFields(c);
    const rendered = renderTrackerTe(c.meta, c.version, entity, { mode: 'single', program, deep: wantsDeep(fields), eventsOf: (u) => c.events.ofEnrollment(u) });
    res.json(project(c, rendered, fields));
  });

  router.use(trackerExportRoutes(rt));

  // The query parsers' errors carry DHIS2's status; from 2.40 the tracker's 400s also carry E1003.
  router.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (error instanceof QueryError) {
      const code = error.status === 400 && rt.ctx.version.atLeast('2.40') ? 'E1003' : undefined;
      return next(new Dhis2HttpError(error.status, error.message, code));
    }
    next(error);
  });
  return router;
}

const byCreated = (a: StoredEntity, b: StoredEntity) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.uid < b.uid ? -1 : 1);
