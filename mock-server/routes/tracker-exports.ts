import { Router, type Request, type Response } from 'express';
import { canSearch } from '../dhis2/access.js';
import type { DomainContext } from '../dhis2/context.js';
import { renderTrackerEnrollment } from '../dhis2/enrollments/render.js';
import { searchEnrollments } from '../dhis2/enrollments/search.js';
import { renderTrackerEvent } from '../dhis2/events/render.js';
import { eventAsOf, searchEvents } from '../dhis2/events/search.js';
import { applyFields, firstValue, parseFields, parsePaging, slice, trackerListBody } from '../dhis2/query/index.js';
import { entityAsOf } from '../dhis2/search.js';
import { trackerEnrollmentCriteria, trackerEventCriteria } from '../dhis2/tracker/export-lists.js';
import { conflict, Dhis2HttpError, notFound } from '../dhis2/web-message.js';
import type { MockRuntime } from '../runtime.js';
import { requestScope } from './request.js';

/**
 * Default `fields` (TrackerEnrollmentsExportController / EnrollmentRequestParams:
 * `*,!relationships,!events,!attributes`; events: `*,!relationships`), from 2.38 (inferred: the
 * earliest controller read with them); 2.36–2.37 render everything.
 */
const enrollmentFields = (c: DomainContext) => (c.version.atLeast('2.38') ? '*,!relationships,!events,!attributes' : '*');
const eventFields = (c: DomainContext) => (c.version.atLeast('2.38') ? '*,!relationships' : '*');
/** Are an enrollment's events asked for (loaded only then)? */
const wantsEvents = (fields: string) => /(^|[,[])\s*(\*|events)/.test(fields) && !/!events/.test(fields);

/** 404 for an unknown (or deleted) object by UID, per release, like the TE export (spec §3.8; wording inferred). */
function missing(c: DomainContext, type: 'Enrollment' | 'Event', uid: string): Dhis2HttpError {
  return c.version.atLeast('2.40') ? notFound(`${type} with id ${uid} could not be found.`, 'E1005') : notFound(`${type} not found for uid: ${uid}`);
}

function typedUid(c: DomainContext, uid: string): void {
  if (c.version.atLeast('2.41') && !/^[a-zA-Z][a-zA-Z0-9]{10}$/.test(uid)) {
    const shown = uid.slice(0, 100);
    throw new Dhis2HttpError(400, `Value '${shown}' is not valid for path parameter uid. UID must be an alphanumeric string of 11 characters starting with a letter, but was: ${shown}`);
  }
}

/** `/api/tracker/enrollments` and `/api/tracker/events`: lists and GET by UID (2.36+). */
export function trackerExportRoutes(rt: MockRuntime): Router {
  const router = Router();

  router.get('/enrollments', (req: Request, res: Response) => {
    const c = rt.ctx;
    const criteria = trackerEnrollmentCriteria(c, res.locals.user, req.query);
    const paging = parsePaging(req.query, { api: 'tracker', version: c.version });
    const found = searchEnrollments(c, res.locals.user, criteria, res.locals.staleOverlay);
    const fields = firstValue(req.query.fields) ?? enrollmentFields(c);
    const events = wantsEvents(fields);
    const page = slice(found, paging).map((h) => renderTrackerEnrollment(c.meta, c.version, h.entity, h.enrollment, events ? c.events.ofEnrollment(h.enrollment.uid) : undefined));
    const items = applyFields(page, parseFields(fields)) as unknown[];
    const links = { endpoint: `${requestScope(req, res).origin}/api/tracker/enrollments`, query: req.query };
    res.json(trackerListBody(items, paging, found.length, c.version, links, 'enrollments'));
  });

  router.get('/enrollments/:uid', (req: Request, res: Response) => {
    const c = rt.ctx;
    const uid = String(req.params.uid);
    typedUid(c, uid);
    const owner = c.store.enrollment(uid)?.entity.uid;
    const entity = owner ? entityAsOf(c.store, owner, res.locals.staleOverlay) : undefined;
    const enrollment = entity?.enrollments.find((e) => e.uid === uid);
    if (!entity || !enrollment || enrollment.deleted) throw missing(c, 'Enrollment', uid);
    if (!canSearch(c.meta, res.locals.user, enrollment.orgUnit)) throw conflict(`[User has no read access to organisation unit: ${enrollment.orgUnit}]`);
    const fields = firstValue(req.query.fields) ?? enrollmentFields(c);
    const rendered = renderTrackerEnrollment(c.meta, c.version, entity, enrollment, wantsEvents(fields) ? c.events.ofEnrollment(uid) : undefined);
    res.json(applyFields(rendered, parseFields(fields)));
  });

  router.get('/events', (req: Request, res: Response) => {
    const c = rt.ctx;
    const criteria = trackerEventCriteria(c, res.locals.user, req.query);
    const paging = parsePaging(req.query, { api: 'tracker', version: c.version });
    const found = searchEvents(c, res.locals.user, criteria, res.locals.staleEvents);
    const fields = firstValue(req.query.fields) ?? eventFields(c);
    const items = applyFields(slice(found, paging).map((e) => renderTrackerEvent(c.meta, c.version, e)), parseFields(fields)) as unknown[];
    const links = { endpoint: `${requestScope(req, res).origin}/api/tracker/events`, query: req.query };
    res.json(trackerListBody(items, paging, found.length, c.version, links, 'events'));
  });

  router.get('/events/:uid', (req: Request, res: Response) => {
    const c = rt.ctx;
    const uid = String(req.params.uid);
    typedUid(c, uid);
    const event = eventAsOf(c, uid, res.locals.staleEvents);
    if (!event || event.deleted) throw missing(c, 'Event', uid);
    if (!canSearch(c.meta, res.locals.user, event.orgUnit)) throw conflict(`[User has no read access to organisation unit: ${event.orgUnit}]`);
    const fields = firstValue(req.query.fields) ?? eventFields(c);
    res.json(applyFields(renderTrackerEvent(c.meta, c.version, event), parseFields(fields)));
  });

  return router;
}
