import { Router, type NextFunction, type Request, type Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { deleteLegacy, importLegacy, withHref } from '../dhis2/legacy/import.js';
import { readLegacyBody, readLegacyTei } from '../dhis2/legacy/input.js';
import { importOptionsEcho, parseLegacyStrategy, STRATEGY_ENUM_ORDER, type LegacyImportOptions } from '../dhis2/legacy/options.js';
import { importOutcome, summaries, type ImportSummary } from '../dhis2/legacy/summary.js';
import { badRequest, Dhis2HttpError, webMessage } from '../dhis2/web-message.js';
import { readLegacyOr500 } from './body-errors.js';
import { isJson, mediaTypeOf, unsupportedMediaType } from './content-type.js';
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
  if (!isJson(mediaTypeOf(req))) return next(unsupportedMediaType(req, res.locals.dhis2Version as DomainContext['version'] | undefined));
  // Jackson's MismatchedInputException has no handler in CrudControllerAdvice: the default one, 500
  const empty = req.body === undefined || req.headers['content-length'] === '0';
  if (empty) return next(new Dhis2HttpError(500, 'No content to map due to end-of-input'));
  next();
}

/** POST, PUT and DELETE of /api/trackedEntityInstances (spec §2.4–2.6). */
export function legacyWriteRoutes(ctx: () => DomainContext): Router {
  const router = Router();

  router.post('/', requireJson, async (req: Request, res: Response) => {
    const c = ctx();
    const options = readOptions(req);
    const scope = requestScope(req, res);
    const teis = readLegacyOr500(() => readLegacyBody(req.body));
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
    const tei = { ...readLegacyOr500(() => readLegacyTei(req.body, '$')), uid: String(req.params.uid) };
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
