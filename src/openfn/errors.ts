/**
 * What an OpenFn job's failure means for the harness. An HTTP error answer (4xx) means DHIS2 wrote
 * nothing: a definite failure (`outcomeUnknown: false`). A 5xx, a dropped connection or any other
 * error may have come after a write reached DHIS2: outcome unknown. The original error stays
 * available as `cause`.
 */

/** DHIS2 (or the adaptor, for an HTTP-like refusal before writing) answered with an error status. */
export class OpenFnHttpError extends Error {
  readonly code = 'OPENFN_HTTP_ERROR';
  readonly outcomeUnknown: boolean;
  constructor(
    message: string,
    readonly status: number,
    /** 'response': DHIS2's answer; 'adaptor': the adaptor refused with an HTTP-like code (e.g. 409 "Multiple records found") */
    readonly source: 'response' | 'adaptor',
    options: { cause?: unknown; method?: string; url?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.outcomeUnknown = status >= 500 || status < 400;
    this.method = options.method;
    this.url = options.url;
  }
  readonly method?: string;
  readonly url?: string;
}

/** The connection failed (refused, reset, timed out): a write may or may not have happened. */
export class OpenFnTransportError extends Error {
  readonly code = 'OPENFN_TRANSPORT_ERROR';
  readonly outcomeUnknown = true;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/** Anything else the job threw (a bug in the job, an adaptor error without a status). */
export class OpenFnJobError extends Error {
  readonly code = 'OPENFN_JOB_ERROR';
  readonly outcomeUnknown = true;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

const TRANSPORT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

type Loose = { [k: string]: unknown } & { message?: unknown; name?: unknown; code?: unknown; cause?: unknown };

function isTransport(e: Loose | undefined, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const code = typeof e.code === 'string' ? e.code : '';
  // undici (language-common's request): SocketError "other side closed" is UND_ERR_SOCKET
  if (code.startsWith('UND_ERR') || TRANSPORT_CODES.has(code)) return true;
  if (e.name === 'SocketError' || e.name === 'ConnectTimeoutError' || e.name === 'HeadersTimeoutError') return true;
  return isTransport(e.cause as Loose | undefined, depth + 1);
}

/** One line of what DHIS2 said in an error body: its message, then the first conflict or error report. */
export function dhis2Reason(body: unknown): string {
  if (typeof body === 'string') return body.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (!body || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof b.message === 'string') parts.push(b.message);
  const response = b.response as Record<string, unknown> | undefined;
  const summaries = (response?.importSummaries ?? (response ? [response] : [])) as { conflicts?: { value?: unknown }[]; description?: unknown }[];
  for (const s of Array.isArray(summaries) ? summaries : []) {
    const conflict = s?.conflicts?.find((c) => typeof c?.value === 'string')?.value;
    if (typeof conflict === 'string') parts.push(conflict);
    else if (typeof s?.description === 'string') parts.push(s.description);
  }
  const reports = (b.validationReport as { errorReports?: { errorCode?: unknown; message?: unknown }[] } | undefined)?.errorReports;
  const first = Array.isArray(reports) ? reports[0] : undefined;
  if (first && typeof first.message === 'string') parts.push(`${typeof first.errorCode === 'string' ? `${first.errorCode} ` : ''}${first.message}`);
  return [...new Set(parts)].join(' — ').slice(0, 300);
}

function pathOf(url: unknown): string {
  if (typeof url !== 'string') return '';
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/**
 * An OpenFn job's error as a typed harness error. Errors that already say whether anything was
 * written (`outcomeUnknown` is a boolean) pass through unchanged.
 */
export function toHarnessError(err: unknown): Error {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as Loose;
  if (typeof e.outcomeUnknown === 'boolean' && err instanceof Error) return err;
  const message = typeof e.message === 'string' ? e.message : String(err);
  // language-common's request (adaptor 8.x, language-http): statusCode, body, method, url
  // axios (language-dhis2 2.x): response.status, response.data, config.method/url
  const axios = e.response as { status?: unknown; data?: unknown } | undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof axios?.status === 'number' ? axios.status : undefined;
  if (status !== undefined) {
    const config = e.config as { method?: unknown; url?: unknown } | undefined;
    const method = String(e.method ?? config?.method ?? '').toUpperCase() || undefined;
    const url = (e.url ?? config?.url) as string | undefined;
    const reason = dhis2Reason(e.body ?? axios?.data);
    const statusText = typeof e.statusMessage === 'string' ? ` ${e.statusMessage}` : '';
    return new OpenFnHttpError(`${method ? `${method} ` : ''}${pathOf(url)} answered ${status}${statusText}${reason ? `: ${reason}` : ''}`.trim(), status, 'response', { cause: err, method, url });
  }
  // language-common's throwError(409, …): the adaptor's own HTTP-like refusal, before any write
  if (typeof e.code === 'number' && e.code >= 400 && e.code < 600) {
    return new OpenFnHttpError(message, e.code, 'adaptor', { cause: err });
  }
  if (isTransport(e)) return new OpenFnTransportError(`The connection to DHIS2 failed: ${message}`, { cause: err });
  return new OpenFnJobError(message, { cause: err });
}
