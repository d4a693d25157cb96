import { Router, type Request, type Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { deleteLegacy, importLegacy } from '../dhis2/legacy/import.js';
import { readLegacyBody, readLegacyTei } from '../dhis2/legacy/input.js';
import { importOptionsEcho, parseLegacyStrategy, type LegacyImportOptions } from '../dhis2/legacy/options.js';
import { importOutcome, summaries, type ImportSummary } from '../dhis2/legacy/summary.js';
import { conflict, webMessage } from '../dhis2/web-message.js';
import { requestScope, str } from './request.js';

function readOptions(req: Request, ctx: DomainContext): LegacyImportOptions {
  const strategy = parseLegacyStrategy(req.query.strategy);
  if (typeof strategy === 'object') {
    throw conflict(`Failed to convert value of type 'java.lang.String' to required type 'org.hisp.dhis.importexport.ImportStrategy'; value: ${strategy.invalid}`);
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

/** POST, PUT and DELETE of /api/trackedEntityInstances (spec §2.4–2.6). */
export function legacyWriteRoutes(ctx: () => DomainContext): Router {
  const router = Router();

  router.post('/', async (req: Request, res: Response) => {
    const c = ctx();
    const options = readOptions(req, c);
    const teis = readLegacyBody(req.body);
    const echo = importOptionsEcho(options, c.version);
    let items = await importLegacy(c, requestScope(req, res), teis, options);
    if (teis.length === 1 && items.length === 1) items = [{ ...items[0], importOptions: echo } as ImportSummary];
    const visible = options.reportMode === 'ERRORS' ? items.filter((s) => s.conflicts.length > 0) : items;
    const all = summaries(items, echo);
    const outcome = importOutcome(all.status);
    if (teis.length === 1 && items[0]?.status === 'SUCCESS' && items[0].reference && items[0].importCount.imported === 1) {
      res.location(`/api/trackedEntityInstances/${items[0].reference}`);
    }
    res.status(outcome.http).json(webMessage(outcome.http, outcome.message, { status: outcome.status, response: { ...all, importSummaries: visible } }));
  });

  router.put('/:uid', async (req: Request, res: Response) => {
    const c = ctx();
    const options = { ...readOptions(req, c), strategy: 'UPDATE' as const };
    const tei = { ...readLegacyTei(req.body ?? {}, '$'), uid: String(req.params.uid) };
    const [result] = await importLegacy(c, requestScope(req, res), [tei], options);
    const withOptions = { ...result, importOptions: importOptionsEcho(options, c.version) };
    respondSingle(res, withOptions);
  });

  router.delete('/:uid', async (req: Request, res: Response) => {
    const c = ctx();
    const result = await deleteLegacy(c, requestScope(req, res), String(req.params.uid));
    respondSingle(res, result);
  });

  return router;
}

function respondSingle(res: Response, result: ImportSummary): void {
  const outcome = importOutcome(result.status === 'ERROR' ? 'ERROR' : 'SUCCESS');
  res.status(outcome.http).json(webMessage(outcome.http, outcome.message, { status: outcome.status, response: result }));
}
