/**
 * One error class per failure class, each with a stable `code` callers can switch on; messages
 * say what happened and what to do. `outcomeUnknown` is the one bit the retry logic needs: true
 * means the server may have committed the write, so only an idempotent retry (re-search first)
 * is safe.
 */

export type ErrorCode =
  | 'HTTP_ERROR'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'TRANSPORT'
  | 'AMBIGUOUS_MATCH'
  | 'RETRY_BUDGET_EXCEEDED'
  | 'ABORTED'
  | 'HARNESS'
  | 'INVALID_RECORD'
  | 'INVALID_OPTIONS'
  | 'METADATA_ACCESS';

export class Dhis2HarnessError extends Error {
  readonly code: string;
  /** True when a write may or may not have been applied by the server. */
  readonly outcomeUnknown: boolean;

  constructor(code: string, message: string, options?: { cause?: unknown; outcomeUnknown?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

export interface HttpErrorDetails {
  status: number;
  method: string;
  url: string;
  body: unknown;
  headers?: Record<string, string | string[] | undefined>;
  /** True for writes answered by a 5xx: the server (or a proxy in front of it) may have committed. */
  outcomeUnknown?: boolean;
}

function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  if (typeof body === 'string') {
    const text = body.replace(/\s+/g, ' ').trim();
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
  if (typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  const json = JSON.stringify(body);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

/** Any non-2xx response not classified more precisely. */
export class HttpError extends Dhis2HarnessError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;

  constructor(d: HttpErrorDetails, message?: string, code = 'HTTP_ERROR') {
    const hint =
      d.status >= 500
        ? d.outcomeUnknown
          ? ' The write may have been applied: re-read before retrying.'
          : ' Retry later.'
        : d.status === 401
          ? ' Check the username/password or API token.'
          : '';
    super(code, message ?? `${d.method} ${d.url} answered HTTP ${d.status}: ${endSentence(describeBody(d.body))}${hint}`, {
      outcomeUnknown: d.outcomeUnknown ?? false,
    });
    this.status = d.status;
    this.method = d.method;
    this.url = d.url;
    this.body = d.body;
    this.headers = d.headers ?? {};
  }

  /** `Retry-After` in milliseconds when the server sent delta-seconds or an HTTP date. */
  retryAfterMs(now: number = Date.now()): number | undefined {
    const raw = this.headers['retry-after'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
  }
}

export interface Conflict {
  object?: string;
  value: string;
  errorCode?: string;
}

/** HTTP 409 carrying import conflicts or tracker error reports (legacy ImportSummary / tracker ImportReport). */
export class Dhis2ConflictError extends HttpError {
  readonly conflicts: Conflict[];

  constructor(d: HttpErrorDetails, conflicts: Conflict[], message?: string) {
    const first = conflicts[0];
    const summary = first ? `${first.errorCode ? first.errorCode + ' ' : ''}${first.value}` : describeBody(d.body);
    super(
      { ...d, outcomeUnknown: false },
      message ??
        `${d.method} ${d.url} was rejected with HTTP ${d.status} (${conflicts.length} conflict(s)): ${endSentence(summary)} Nothing in the rejected objects was written; fix the data or resolve the conflict.`,
      'CONFLICT',
    );
    this.conflicts = conflicts;
  }

  /** True when the conflict is the server's uniqueness check (legacy text, or tracker E1064). */
  isNonUnique(): boolean {
    return this.conflicts.some((c) => c.errorCode === 'E1064' || /Non-unique attribute value/i.test(c.value));
  }
}

/** The server rejected the request's content (a 4xx). Retrying the same request cannot help. */
export class ValidationError extends HttpError {
  readonly conflicts: Conflict[];

  constructor(d: HttpErrorDetails, conflicts: Conflict[] = [], message?: string) {
    super(
      { ...d, outcomeUnknown: false },
      message ??
        `${d.method} ${d.url} was rejected with HTTP ${d.status}: ${endSentence(conflicts[0]?.value ?? describeBody(d.body))} The request is invalid and will not be retried; fix the record or the metadata.`,
      'VALIDATION',
    );
    this.conflicts = conflicts;
  }
}

export type TransportPhase = 'connect' | 'send' | 'response';

/**
 * The request failed below HTTP. In phase 'connect' nothing reached the server (safe to retry
 * anything); in 'send' or 'response' the server may have processed the request.
 */
export class TransportError extends Dhis2HarnessError {
  readonly phase: TransportPhase;
  readonly method: string;
  readonly url: string;
  readonly causeCode?: string;

  constructor(d: { phase: TransportPhase; method: string; url: string; cause: unknown; causeCode?: string }) {
    const unknown = d.phase !== 'connect';
    const causeText = d.cause instanceof Error ? d.cause.message : String(d.cause);
    super(
      'TRANSPORT',
      `${d.method} ${d.url} failed during ${d.phase} (${d.causeCode ?? 'no code'}: ${causeText}). ` +
        (unknown
          ? 'The server may have processed the request: re-read before repeating a write.'
          : 'Nothing was sent; check that DHIS2 is reachable at this URL.'),
      { cause: d.cause, outcomeUnknown: unknown },
    );
    this.phase = d.phase;
    this.method = d.method;
    this.url = d.url;
    this.causeCode = d.causeCode;
  }
}

/** More than one live entity already carries the key; the upsert wrote nothing. */
export class AmbiguousMatchError extends Dhis2HarnessError {
  readonly uids: string[];
  readonly attribute: string;
  readonly value: string;

  constructor(d: { uids: string[]; attribute: string; value: string }) {
    super(
      'AMBIGUOUS_MATCH',
      `${d.uids.length} tracked entities carry ${d.attribute}=${JSON.stringify(d.value)} (${d.uids.join(', ')}); nothing was written. Merge or delete the duplicates in DHIS2, then retry.`,
    );
    this.uids = [...d.uids];
    this.attribute = d.attribute;
    this.value = d.value;
  }
}

/** Retries ran out while the outcome was still unknown or the server kept refusing. */
export class RetryBudgetExceededError extends Dhis2HarnessError {
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly lastError: unknown;

  constructor(d: { attempts: number; elapsedMs: number; lastError: unknown }) {
    const last = d.lastError instanceof Error ? d.lastError.message : String(d.lastError);
    const unknown = d.lastError instanceof Dhis2HarnessError && d.lastError.outcomeUnknown;
    // only say a write may have happened when the last failure could have been one
    const advice = unknown ? "The last write's outcome may be unknown: run" : 'Run';
    super(
      'RETRY_BUDGET_EXCEEDED',
      `Gave up after ${d.attempts} attempt(s) in ${d.elapsedMs} ms; last error: ${endSentence(last)} ${advice} the upsert again (it is idempotent) once the server is healthy.`,
      { cause: d.lastError, outcomeUnknown: unknown },
    );
    this.attempts = d.attempts;
    this.elapsedMs = d.elapsedMs;
    this.lastError = d.lastError;
  }
}

/** The caller's AbortSignal fired. A write in flight at that moment may have committed. */
export class AbortedError extends Dhis2HarnessError {
  constructor(reason?: unknown, outcomeUnknown = false) {
    const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
    super('ABORTED', `Operation aborted by the caller (${why}). Run it again to finish; upserts are idempotent.`, {
      cause: reason,
      outcomeUnknown,
    });
  }
}

/** A bug or misuse inside the harness itself, or a server answer the harness cannot interpret. */
export class HarnessError extends Dhis2HarnessError {
  constructor(message: string, cause?: unknown) {
    super('HARNESS', message, { cause });
  }
}

/** The caller's record or options are invalid; nothing was sent. */
export class InvalidRecordError extends Dhis2HarnessError {
  constructor(message: string) {
    super('INVALID_RECORD', message);
  }
}

/** The caller's options are invalid or do not fit the server (e.g. the legacy API on 2.42); nothing was sent. */
export class InvalidOptionsError extends Dhis2HarnessError {
  constructor(message: string) {
    super('INVALID_OPTIONS', message);
  }
}

/**
 * The key attribute's metadata cannot be read (403): without knowing whether its uniqueness is
 * scoped to the org unit, an upsert could take another facility's patient for this one. Nothing
 * was written.
 */
export class MetadataAccessError extends Dhis2HarnessError {
  constructor(what: string, cause?: unknown) {
    super(
      'METADATA_ACCESS',
      `Cannot read ${what} (HTTP 403): the upsert needs the key attribute's unique and orgunitScope flags to know which entities are the same patient. Nothing was written; give this user read access to the tracked entity attribute (metadata read sharing), then run the upsert again.`,
      { cause },
    );
  }
}

/** Joins a server's text into our sentence without doubling its full stop (E1064 ends in '.' from 2.42.1). */
function endSentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
