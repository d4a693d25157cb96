/**
 * Maps failed exchanges to the typed errors of ../errors.ts. The important decision is
 * `outcomeUnknown`: it must be true whenever the server could have applied a write, and false
 * only when we know it did not (connect failure, or a definite 4xx answer).
 */
import {
  AbortedError,
  type Conflict,
  Dhis2ConflictError,
  HttpError,
  type HttpErrorDetails,
  TransportError,
  type TransportPhase,
  ValidationError,
} from '../errors.js';
import { isLegacyImportBody, isTrackerImportBody, parseLegacyImport, parseTrackerImport } from './responses.js';

export const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Conflicts listed in an import body, in one flat shape across both APIs. */
export function extractConflicts(body: unknown): Conflict[] {
  try {
    if (isTrackerImportBody(body)) {
      const r = parseTrackerImport(body);
      if (r.kind === 'job') return [];
      const list: Conflict[] = r.errors.map((e) => ({ object: e.uid, value: e.message, errorCode: e.errorCode }));
      if (list.length === 0 && r.message) list.push({ value: r.message });
      return list;
    }
    if (isLegacyImportBody(body)) {
      const out: Conflict[] = [];
      for (const s of parseLegacyImport(body).summaries) {
        if (s.status === 'SUCCESS') continue;
        for (const c of s.conflicts) out.push({ object: c.object ?? s.reference, value: c.value });
        if (s.conflicts.length === 0 && s.description) out.push({ object: s.reference, value: s.description });
      }
      return out;
    }
  } catch {
    // A body that only looks like an import result still yields a plain error below.
  }
  return [];
}

/** The typed error for a non-2xx response. */
export function classifyHttpStatus(d: Omit<HttpErrorDetails, 'outcomeUnknown'>): HttpError {
  const { status } = d;
  if (status === 409) {
    const conflicts = extractConflicts(d.body);
    if (conflicts.length > 0) return new Dhis2ConflictError(d, conflicts);
    return new ValidationError(d);
  }
  if (status === 400 || status === 405 || status === 411 || status === 413 || status === 414 || status === 415 || status === 422) {
    return new ValidationError(d, extractConflicts(d.body));
  }
  if (status >= 500) {
    // 501/505 are definite answers (the 2.35 tracker stub answers 501): nothing was applied.
    const definite = status === 501 || status === 505;
    return new HttpError({ ...d, outcomeUnknown: !definite && WRITE_METHODS.has(d.method) });
  }
  return new HttpError({ ...d, outcomeUnknown: false });
}

const CONNECT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A thrown undici/socket error. `headersReceived` tells whether the failure came while reading
 * the body, which makes the outcome certainly unknown even for codes that usually mean "connect".
 */
export function classifyThrown(
  err: unknown,
  ctx: { method: string; url: string; headersReceived: boolean; signal?: AbortSignal },
): Error {
  if (err instanceof TransportError || err instanceof HttpError || err instanceof AbortedError) return err;
  const code = errorCode(err);
  const name = (err as { name?: string })?.name;
  if (ctx.signal?.aborted || code === 'UND_ERR_ABORTED' || name === 'AbortError') {
    // Aborting after the request left may leave a committed write behind.
    return new AbortedError(ctx.signal?.reason ?? err, WRITE_METHODS.has(ctx.method));
  }
  let phase: TransportPhase;
  if (ctx.headersReceived) phase = 'response';
  else if (code && CONNECT_CODES.has(code)) phase = 'connect';
  else if (code === 'UND_ERR_HEADERS_TIMEOUT') phase = 'response';
  else phase = 'send';
  return new TransportError({ phase, method: ctx.method, url: ctx.url, cause: err, causeCode: code });
}
