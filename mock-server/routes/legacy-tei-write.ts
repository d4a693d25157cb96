import { Router, type NextFunction, type Request, type Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { deleteLegacy, importLegacy, withHref } from '../dhis2/legacy/import.js';
import { readLegacyBody, readLegacyTei } from '../dhis2/legacy/input.js';
import { importOptionsEcho, parseLegacyStrategy, STRATEGY_ENUM_ORDER, type LegacyImportOptions } from '../dhis2/legacy/options.js';
import { importOutcome, summaries, type ImportSummary } from '../dhis2/legacy/summary.js';
import { badRequest, conflict, Dhis2HttpError, webMessage } from '../dhis2/web-message.js';
import { requestScope, str } from './request.js';

export function readOptions(req: Request): LegacyImportOptions {
  const strategy = parseLegacyStrategy(req.query.strategy);
  if (typeof strategy === 'object') {
    // CrudControllerAdvice: MethodArgumentTypeMismatchException on an enum @RequestParam → 400
    throw badRequest(`Value ${strategy.invalid} is not a valid strategy. Valid values are: [${STRATEGY_ENUM_ORDER.join(', ')}]`);
  }
  const reportMode = (str(req.query.reportMode) ?? 'FULL').toUpperCase();
  return {
    strategy,
    reportMode: reportMode === 'ERRORS' || reportMode === 'DEBUG' ? reportMode : 'FULL',
    ignoreEmptyCollection: str(req.query.ignoreEmptyCollection) === 'true',
    dryRun: str(req.query.dryRun) === 'true',
    program: str(req.query.program),
  };
}

/**
 * The write mappings declare `consumes = application/json` (and XML, which the emulator does not
 * speak): any other content type is Spring's 415 (HttpMediaTypeNotSupportedException via
 * CrudControllerAdvice). A JSON request without a body fails in Jackson before any import runs.
 */
export function requireJson(req: Request, res: Response, next: NextFunction) {
  const type = req.headers['content-type'] ?? 'application/octet-stream';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    const spring6 = (res.locals.dhis2Version as DomainContext['version'] | undefined)?.atLeast('2.42');
    return next(new Dhis2HttpError(415, spring6 ? `Content-Type '${type}' is not supported` : `Content type '${type}' not supported`));
  }
  if (req.body === undefined) return next(conflict('No content to map due to end-of-input'));
  next();
}

/** POST, PUT and DELETE of /api/trackedEntityInstances (spec §2.4–2.6). */
export function legacyWriteRoutes(ctx: () => DomainContext): Router {
  const router = Router();

  router.post('/', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = readOptions(req);
    const scope = requestScope(req, res);
    const teis = readLegacyBody(req.body);
    const echo = importOptionsEcho(options, c.version);
    let items = (await importLegacy(c, scope, teis, options)).map((s) => withHref(c, scope, options, s));
    // finalizeTrackedEntityInstancePostRequest: one summary → it echoes the options and, unless it
    // is an error, its reference becomes the Location
    if (items.length === 1) {
      items = [{ ...items[0], importOptions: echo } as ImportSummary];
      if (items[0].status !== 'ERROR' && items[0].reference) res.location(`/api/trackedEntityInstances/${items[0].reference}`);
    }
    const visible = options.reportMode === 'ERRORS' ? items.filter((s) => s.conflicts.length > 0) : items;
    const all = summaries(items, echo);
    const outcome = importOutcome(all.status);
    res.status(outcome.http).json(webMessage(outcome.http, outcome.message, { status: outcome.status, response: { ...all, importSummaries: visible } }));
  });

  router.put('/:uid', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = { ...readOptions(req), strategy: 'UPDATE' as const };
    const tei = { ...readLegacyTei(req.body, '$'), uid: String(req.params.uid) };
    const [result] = await importLegacy(c, requestScope(req, res), [tei], options);
    // the single update also reconciles relationships (none in the emulator) unless skipped
    const relationships = result.status === 'SUCCESS' && (!options.ignoreEmptyCollection) ? { relationships: summaries([]) } : {};
    respondSingle(res, { ...result, ...relationships, importOptions: importOptionsEcho(options, c.version) } as ImportSummary);
  });

  router.delete('/:uid', async (req: Request, res: Response) => {
    const result = await deleteLegacy(ctx(), requestScope(req, res), String(req.params.uid));
    respondSingle(res, result);
  });

  return router;
}

export function respondSingle(res: Response, result: ImportSummary): void {
  const outcome = importOutcome(result.status === 'ERROR' ? 'ERROR' : 'SUCCESS');
  res.status(outcome.http).json(webMessage(outcome.http, outcome.message, { status: outcome.status, response: result }));
}
