import type { NextFunction, Request, Response } from 'express';
import { summariseBody, type Journal, type RequestEntry } from '../journal.js';
import { bodyHash } from '../routes/journal-middleware.js';
import type { EntityStore } from '../store/entity-store.js';
import type { EventStore } from '../store/event-store.js';
import { deliver, parseDeliveryHeader, readRawBody, relayableHeaders, type Delivered } from './delivery.js';
import type { FaultDecision, FaultEngine, OutcomeRule } from './engine.js';
import { holdResponse } from './hold.js';
import { errorResponse, rateLimitResponse, type FaultResponse } from './responses.js';

export interface FaultDeps {
  engine: FaultEngine;
  journal: Journal;
  store: () => EntityStore;
  /** events answer stale reads too (`res.locals.staleEvents`); enrollments are part of their entity */
  events?: () => EventStore;
}

/** Waits `ms`, or less if the client goes away meanwhile (so a long plan never holds a stopping server); false then. */
function waitWhileOpen(res: Response, ms: number): Promise<boolean> {
  if (res.closed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/**
 * Applies the installed fault plan. Mounted after the journal and before the API routes: latency
 * and stale reads prepare the request, pre-commit faults answer (or reset) without running the
 * handler, post-commit faults let the handler commit and then act on its held answer, and a
 * duplicate delivery sends the request through the emulator twice. Each fault is journaled with
 * its rule index and whether the request had committed when it struck.
 */
export function faultMiddleware(deps: FaultDeps) {
  const { engine, journal } = deps;
  return async (req: Request, res: Response, next: NextFunction) => {
    const delivery = parseDeliveryHeader(req, engine.deliverySecret);
    if (delivery) {
      const entry = res.locals.journalRequest as RequestEntry | undefined;
      if (entry) Object.assign(entry, { deliveryOf: delivery.of, delivery: delivery.n });
      return next();
    }
    const decision = engine.decide(req.method, req.path, req.headers);
    if (!decision) return next();
    const requestId: string = res.locals.requestId ?? 'unknown';
    const record = (rule: number, kind: string, detail?: string) =>
      journal.add({ type: 'fault', requestId, kind, rule, route: decision.route, ordinal: decision.ordinal, committed: journal.commitsOf(requestId) > 0, detail });

    const totalLatency = decision.latency.reduce((sum, l) => sum + l.ms, 0);
    for (const l of decision.latency) record(l.rule, 'latency', `delayed ${l.ms} ms`);
    // a client that gave up during the delay never reached the handler: nothing is written
    if (totalLatency > 0 && !(await waitWhileOpen(res, totalLatency))) return;

    if (decision.stale) {
      const { rule, commitsAgo, msAgo } = decision.stale;
      const overlay = deps.store().staleOverlay({ commitsAgo, msAgo });
      res.locals.staleOverlay = overlay;
      if (deps.events) res.locals.staleEvents = deps.events().staleOverlay({ commitsAgo, msAgo });
      const asOf = [commitsAgo !== undefined ? `${commitsAgo} commits` : '', msAgo !== undefined ? `${msAgo} ms` : ''].filter(Boolean).join(' / ');
      record(rule, 'stale-search', `answers from the state as of ${asOf} ago (${overlay.size} ${overlay.size === 1 ? 'entity differs' : 'entities differ'})`);
    }

    if (!decision.outcome) return next();
    const { rule, fault } = decision.outcome;
    if (fault.kind === 'duplicate-delivery') return duplicate(req, res, fault, decision, record, deps);
    if (isPreCommit(fault)) {
      const answer = fault.kind === 'rate-limit' ? rateLimitResponse(fault.status, fault.retryAfterSeconds) : errorResponse(fault);
      record(rule, fault.kind, `answered ${answer.status} without running the handler`);
      return send(res, answer);
    }
    if (fault.kind === 'reset-before-commit') {
      record(rule, fault.kind, 'connection reset (RST) without running the handler');
      res.locals.closeNote = 'connection reset by fault before the handler ran';
      return req.socket.resetAndDestroy();
    }
    holdResponse(res, (held) => {
      const handlerSaid = `handler answered ${held.status}${res.locals.responseSummary ? ` (${res.locals.responseSummary})` : ''}`;
      if (fault.kind === 'error-after-commit') {
        const answer = errorResponse(fault);
        record(rule, fault.kind, `${handlerSaid}; replaced by ${answer.status}`);
        res.locals.responseSummary = `${answer.summary} [fault error-after-commit; ${handlerSaid}]`.slice(0, 300);
        return held.replace(answer);
      }
      if (fault.kind === 'drop-after-commit') {
        const how = fault.mode === 'reset' ? 'reset (RST)' : 'closed (FIN)';
        record(rule, fault.kind, `${handlerSaid}; connection ${how} instead`);
        res.locals.closeNote = `connection ${how} by fault after commit; ${handlerSaid}`.slice(0, 300);
        return fault.mode === 'reset' ? req.socket.resetAndDestroy() : req.socket.destroy();
      }
      if (fault.kind === 'delay-after-commit') {
        record(rule, fault.kind, `${handlerSaid}; answer held for ${fault.delayMs} ms`);
        res.locals.closeNote = `client closed the connection while the answer was held for ${fault.delayMs} ms; ${handlerSaid}`.slice(0, 300);
        const timer = setTimeout(() => held.release(), fault.delayMs);
        res.once('close', () => clearTimeout(timer));
      }
    });
    next();
  };
}

type PreCommitAnswer = Extract<OutcomeRule, { kind: 'error-before-commit' | 'rate-limit' }>;
const isPreCommit = (f: OutcomeRule): f is PreCommitAnswer => f.kind === 'error-before-commit' || f.kind === 'rate-limit';

function send(res: Response, answer: FaultResponse): void {
  res.locals.responseSummary = answer.summary;
  res.status(answer.status);
  for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', Buffer.byteLength(answer.body));
  res.end(answer.body);
}

async function duplicate(
  req: Request,
  res: Response,
  fault: Extract<OutcomeRule, { kind: 'duplicate-delivery' }>,
  decision: FaultDecision,
  record: (rule: number, kind: string, detail?: string) => void,
  deps: FaultDeps,
): Promise<void> {
  const rule = decision.outcome!.rule;
  const requestId: string = res.locals.requestId ?? 'unknown';
  const body = await readRawBody(req);
  const entry = res.locals.journalRequest as RequestEntry | undefined;
  if (entry) Object.assign(entry, { bodyBytes: body.length, ...(body.length > 0 ? { bodyHash: bodyHash(body) } : {}) });
  const marker = (n: number) => `${deps.engine.deliverySecret} ${requestId} ${n}`;
  let answers: Delivered[];
  try {
    if (fault.concurrent) {
      answers = await Promise.all([deliver(req, body, marker(1)), deliver(req, body, marker(2))]);
    } else {
      const first = await deliver(req, body, marker(1));
      if (fault.gapMs > 0) await waitWhileOpen(res, fault.gapMs);
      answers = [first, await deliver(req, body, marker(2))];
    }
  } catch (err) {
    record(rule, fault.kind, `a delivery failed: ${(err as Error).message}`);
    return send(res, errorResponse({ status: 502 }));
  }
  const committed = answers.some((a) => a.requestId !== undefined && deps.journal.commitsOf(a.requestId) > 0);
  const chosen = fault.respond === 'first' ? answers[0] : answers[1];
  const detail = answers.map((a, i) => `delivery ${i + 1} ${a.requestId ?? '?'} → ${a.status}`).join('; ');
  deps.journal.add({ type: 'fault', requestId, kind: fault.kind, rule, route: decision.route, ordinal: decision.ordinal, committed, detail: `${detail}; client gets delivery ${fault.respond === 'first' ? 1 : 2}` });
  res.locals.responseSummary = summariseDelivered(chosen);
  res.status(chosen.status);
  for (const [k, v] of Object.entries(relayableHeaders(chosen.headers))) res.setHeader(k, v);
  res.setHeader('Content-Length', chosen.body.length);
  res.end(chosen.body);
}

function summariseDelivered(d: Delivered): string {
  const text = d.body.toString('utf8');
  try {
    return summariseBody(JSON.parse(text));
  } catch {
    return summariseBody(text);
  }
}
