import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { checkInvariants } from '../dhis2/invariants.js';
import { enrollmentRows } from '../dhis2/enrollments/rows.js';
import { UNIQUENESS_MODES } from '../dhis2/uniqueness.js';
import { Dhis2Version } from '../dhis2/versions.js';
import { InvalidFaultPlanError } from '../faults/schema.js';
import type { JournalEntry, JournalView } from '../journal.js';
import type { MockRuntime } from '../runtime.js';
import { list } from './request.js';

const configSchema = z
  .object({
    uniqueness: z.enum(UNIQUENESS_MODES).optional(),
    dhis2Version: z.string().optional(),
    raceWindowMs: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).optional(),
  })
  .strict();

const JOURNAL_TYPES: JournalEntry['type'][] = ['request', 'response', 'commit', 'fault'];

const single = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** epoch ms or an ISO date-time; NaN when present but unreadable */
function instant(v: unknown): number | undefined {
  const s = single(v);
  if (s === undefined) return undefined;
  return /^\d+$/.test(s) ? Number(s) : Date.parse(s);
}

function adminError(res: Response, status: number, message: string) {
  res.status(status).json({ status: 'ERROR', httpStatusCode: status, message });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `Authorization: Bearer <token>`, compared in constant time: both sides are hashed to 32 bytes
 * first, so neither the guess's length nor its first wrong character shows in the timing.
 */
function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  return timingSafeEqual(digest(header), digest(`Bearer ${token}`));
}

/** A positive integer query parameter; NaN when present but not one. */
function positiveInt(v: unknown): number | undefined {
  const s = single(v);
  if (s === undefined) return undefined;
  return /^\d{1,15}$/.test(s) && Number(s) > 0 ? Number(s) : NaN;
}

/**
 * The journal as JSON, at most `maxBytes` of entries (at least one, so paging always moves on):
 * when entries are left over, `next` names the last `seq` sent, to pass as `after`.
 */
function sendJournal(res: Response, view: JournalView, maxBytes: number): void {
  const parts: string[] = [];
  let bytes = 0;
  let next: number | undefined;
  for (const entry of view.entries) {
    const json = JSON.stringify(entry);
    const size = Buffer.byteLength(json) + 1;
    if (parts.length > 0 && bytes + size > maxBytes) {
      next = (view.entries[parts.length - 1] as JournalEntry).seq;
      break;
    }
    parts.push(json);
    bytes += size;
  }
  const tail = `"dropped":${view.dropped},"limit":${view.limit}${next !== undefined ? `,"next":${next}` : ''}`;
  res.type('application/json').send(`{"entries":[${parts.join(',')}],${tail}}`);
}

/** The admin API (interfaces.md): not part of DHIS2, no DHIS2 auth, `--admin-token` protects it. */
export function adminRoutes(rt: MockRuntime): Router {
  const router = Router();

  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!rt.options.adminToken) return next();
    if (bearerMatches(req.headers.authorization, rt.options.adminToken)) return next();
    adminError(res, 401, 'The admin API needs `Authorization: Bearer <token>` with the token given to --admin-token.');
  });

  router.post('/reset', async (_req, res) => {
    await rt.reset();
    res.json({ status: 'OK', message: 'Emulator reset to the fixture state; journal and faults cleared.' });
  });

  router.get('/state', (_req, res) => {
    const entities = [...rt.ctx.store.all()];
    res.json({
      dhis2Version: rt.ctx.version.full, uniqueness: rt.ctx.uniqueness.mode, commitSeq: rt.ctx.store.seq, trackedEntities: entities,
      enrollments: enrollmentRows(rt.ctx.store), events: [...rt.ctx.events.all()],
    });
  });

  router.get('/invariants', (req, res) => {
    const extra = list(req.query.attribute).flatMap((a) => a.split(','));
    const unknown = extra.filter((a) => !rt.ctx.meta.attributes.has(a));
    if (unknown.length > 0) return adminError(res, 400, `Unknown attribute(s) ${unknown.join(', ')}: pass tracked entity attribute UIDs from /api/trackedEntityAttributes.`);
    const keys = list(req.query.eventKeyDataElement).flatMap((a) => a.split(',')).filter(Boolean);
    const unknownKeys = keys.filter((d) => !rt.ctx.meta.dataElements.has(d));
    if (unknownKeys.length > 0) {
      return adminError(res, 400, `Unknown data element(s) ${unknownKeys.join(', ')} in eventKeyDataElement: pass data element UIDs from /api/dataElements.`);
    }
    res.json(checkInvariants(rt.ctx.meta, rt.ctx.store, extra, { events: rt.ctx.events, eventKeyDataElements: keys }));
  });

  router.get('/journal', (req, res) => {
    const since = instant(req.query.since);
    const until = instant(req.query.until);
    if (Number.isNaN(since) || Number.isNaN(until)) {
      return adminError(res, 400, '`since` and `until` are epoch milliseconds or ISO-8601 date-times (e.g. 2024-03-01T10:15:30Z).');
    }
    const types = list(req.query.type).flatMap((t) => t.split(','));
    const badType = types.find((t) => !JOURNAL_TYPES.includes(t as JournalEntry['type']));
    if (badType) return adminError(res, 400, `Unknown journal entry type ${badType}: use ${JOURNAL_TYPES.join(', ')}.`);
    const after = single(req.query.after);
    if (after !== undefined && !/^\d{1,15}$/.test(after)) return adminError(res, 400, '`after` is the `seq` of a journal entry (the `next` of the previous answer).');
    const maxBytes = positiveInt(req.query.maxBytes);
    if (Number.isNaN(maxBytes)) return adminError(res, 400, '`maxBytes` is a positive number of bytes (default: the journal\'s --journal-max-bytes).');
    const view = rt.journalView({
      since,
      until,
      uid: single(req.query.uid),
      value: single(req.query.value),
      requestId: single(req.query.requestId),
      types: types as JournalEntry['type'][],
      after: after === undefined ? undefined : Number(after),
    });
    sendJournal(res, view, Math.min(maxBytes ?? rt.journal.maxBytes, rt.journal.maxBytes));
  });

  router.get('/unhandled', (_req, res) => {
    res.json({ requests: rt.unhandled.list(), dropped: rt.unhandled.dropped });
  });

  router.get('/faults', (_req, res) => {
    res.json({ ...rt.faults.status(), plan: rt.faults.installed ?? null });
  });

  router.put('/faults', (req, res) => {
    try {
      rt.faults.install(req.body);
    } catch (e) {
      if (e instanceof InvalidFaultPlanError) return adminError(res, 400, e.message);
      throw e;
    }
    res.json({ status: 'OK', message: `Fault plan installed: ${rt.faults.status().rules.length} rule(s), seed ${rt.faults.seed}.`, ...rt.faults.status() });
  });

  router.delete('/faults', (_req, res) => {
    rt.faults.clear();
    res.json({ status: 'OK', message: 'Fault plan cleared.' });
  });

  router.put('/config', async (req, res) => {
    const parsed = configSchema.safeParse(req.body);
    if (!parsed.success) {
      return adminError(res, 400, `Invalid config: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    }
    if (parsed.data.dhis2Version) {
      try {
        Dhis2Version.parse(parsed.data.dhis2Version);
      } catch (e) {
        return adminError(res, 400, (e as Error).message);
      }
    }
    rt.configure(parsed.data);
    res.json({ status: 'OK', dhis2Version: rt.ctx.version.full, uniqueness: rt.ctx.uniqueness.mode, raceWindowMs: rt.ctx.uniqueness.window.delayMs });
  });

  router.use((req, res) => adminError(res, 404, `No admin route ${req.method} ${req.originalUrl}. See docs/emulator.md "Admin API".`));
  return router;
}
