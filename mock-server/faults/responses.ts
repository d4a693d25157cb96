import { REASON, webMessage } from '../dhis2/web-message.js';

/** A canned answer: what a failing DHIS2 (JSON) or the nginx in front of it (HTML) would send. */
export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** one line for the journal */
  summary: string;
}

/**
 * The messages a client meets in production: a 500 from an exhausted connection pool (Spring's
 * CrudControllerAdvice renders it as a WebMessage), a 503 while DHIS2 is starting or overloaded.
 */
const DEFAULT_MESSAGE: Record<number, string> = {
  500: 'Could not open JPA EntityManager for transaction; nested exception is org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection',
  503: 'Service Unavailable: the server is temporarily unable to handle the request. Please try again later.',
};

/** nginx's built-in error pages (ngx_http_special_response.c), title and reason as nginx words them. */
const NGINX_TITLE: Record<number, string> = {
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
};

function nginxPage(status: number): string {
  const title = NGINX_TITLE[status] ?? `${status} ${REASON[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

export function errorResponse(opts: { status: number; body?: 'webmessage' | 'html'; message?: string; retryAfterSeconds?: number }): FaultResponse {
  const { status } = opts;
  const format = opts.body ?? (status === 500 || status === 503 ? 'webmessage' : 'html');
  const headers: Record<string, string> = {};
  if (opts.retryAfterSeconds !== undefined) headers['Retry-After'] = String(opts.retryAfterSeconds);
  if (format === 'html') {
    headers['Content-Type'] = 'text/html';
    headers.Server = 'nginx';
    return { status, headers, body: nginxPage(status), summary: `HTML ${NGINX_TITLE[status] ?? status} (nginx)` };
  }
  const message = opts.message ?? DEFAULT_MESSAGE[status] ?? REASON[status] ?? 'Error';
  headers['Content-Type'] = 'application/json;charset=UTF-8';
  return { status, headers, body: JSON.stringify(webMessage(status, message)), summary: `ERROR ${message}`.slice(0, 300) };
}

export function rateLimitResponse(status: 429 | 503, retryAfterSeconds: number): FaultResponse {
  return errorResponse({ status, retryAfterSeconds, body: status === 429 ? 'html' : 'webmessage' });
}
