import type { Request, Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { importOptionsEcho, type LegacyImportOptions } from '../dhis2/legacy/options.js';
import { importOutcome, summaries, summary, type ImportSummary } from '../dhis2/legacy/summary.js';
import { webMessage } from '../dhis2/web-message.js';
import { requestScope } from './request.js';

/**
 * The POST answer of the legacy event and enrollment controllers (as for TEIs): `href` on every
 * summary that is not an error or a deletion, unless it was a dry run; one summary echoes the
 * import options and, unless it is an error, becomes the `Location`; `reportMode=ERRORS` keeps only
 * summaries with conflicts; any ERROR makes it a 409.
 */
export function sendImportSummaries(
  req: Request, res: Response, ctx: DomainContext, options: LegacyImportOptions, raw: ImportSummary[], resource: 'events' | 'enrollments',
): void {
  const origin = requestScope(req, res).origin;
  const echo = importOptionsEcho(options, ctx.version);
  let items = raw.map((s) => {
    if (options.dryRun || s.status === 'ERROR' || options.strategy === 'DELETE' || s.importCount.deleted > 0 || !s.reference || s.href) return s;
    return summary(s.status, s.importCount, { ...s, href: `${origin}/api/${resource}/${s.reference}` });
  });
  if (items.length === 1) {
    items = [{ ...items[0], importOptions: echo } as ImportSummary];
    if (items[0].status !== 'ERROR' && items[0].reference) res.location(`/api/${resource}/${items[0].reference}`);
  }
  const visible = options.reportMode === 'ERRORS' ? items.filter((s) => s.conflicts.length > 0) : items;
  const all = summaries(items, echo);
  const outcome = importOutcome(all.status);
  res.status(outcome.http).json(webMessage(outcome.http, outcome.message, { status: outcome.status, response: { ...all, importSummaries: visible } }));
}
