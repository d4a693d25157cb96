/** DHIS2's WebMessage envelope (spec §1), key order as DHIS2 renders it. */
export const REASON: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export interface WebMessage {
  httpStatus: string;
  httpStatusCode: number;
  status: 'OK' | 'WARNING' | 'ERROR';
  message?: string;
  devMessage?: string;
  errorCode?: string;
  response?: unknown;
}

export function webMessage(
  httpStatusCode: number,
  message: string | undefined,
  extra: { status?: WebMessage['status']; errorCode?: string; response?: unknown; devMessage?: string } = {},
): WebMessage {
  const msg: WebMessage = {
    httpStatus: REASON[httpStatusCode] ?? 'Unknown',
    httpStatusCode,
    status: extra.status ?? (httpStatusCode < 400 ? 'OK' : 'ERROR'),
  };
  if (message !== undefined) msg.message = message;
  if (extra.devMessage !== undefined) msg.devMessage = extra.devMessage;
  if (extra.errorCode !== undefined) msg.errorCode = extra.errorCode;
  if (extra.response !== undefined) msg.response = extra.response;
  return msg;
}

/** An error the routes turn into a WebMessage; thrown by the domain for request-level failures. */
export class Dhis2HttpError extends Error {
  readonly code = 'DHIS2_HTTP_ERROR';
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toWebMessage(): WebMessage {
    return webMessage(this.status, this.message, { errorCode: this.errorCode });
  }
}

export const conflict = (message: string, errorCode?: string) => new Dhis2HttpError(409, message, errorCode);
export const badRequest = (message: string, errorCode?: string) => new Dhis2HttpError(400, message, errorCode);
export const notFound = (message: string, errorCode?: string) => new Dhis2HttpError(404, message, errorCode);
