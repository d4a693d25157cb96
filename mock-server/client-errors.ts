import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { webMessage } from './dhis2/web-message.js';

const CLIENT_ERRORS: Record<string, [status: number, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request line and headers exceed 16 KB: send long filters in fewer, shorter parameters.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received completely in time.'],
};

const REASONS: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** A complete HTTP/1.1 answer with a WebMessage body, for sockets express never sees; the connection closes after it. */
function rawAnswer(status: number, message: string, headers: Record<string, string> = {}): string {
  const reason = REASONS[status] ?? 'Bad Request';
  const body = JSON.stringify({ ...webMessage(status, message), httpStatus: reason });
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}

/**
 * What Node's HTTP layer would answer by itself (a bare status line, or nothing at all) gets a
 * DHIS2 WebMessage instead, so every answer a client sees has DHIS2's shape: requests the parser
 * refuses, and `CONNECT` (Node closes the socket unanswered when nobody listens for it; the
 * emulator is no proxy, so it is a method the server does not support: 405, in Spring's words).
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'The request is not valid HTTP/1.1.'];
    socket.end(rawAnswer(status, message));
  });
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawAnswer(405, "Request method 'CONNECT' not supported", { Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' }));
  });
}

/**
 * HTTP/1.1 makes `Host` mandatory (RFC 9112 §3.2) and Node answers a request without it with a bare
 * 400 and an empty chunked body; the server is created with `requireHostHeader: false` so that this
 * check answers instead, with a WebMessage. An empty `Host` is allowed (the same section), and
 * HTTP/1.0 needs none: those get the address the request came in on as their origin.
 */
export function requireHost(app: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
      const body = JSON.stringify(webMessage(400, 'HTTP/1.1 requests need a Host header (RFC 9112 §3.2): send Host: <host>:<port>.'));
      res.shouldKeepAlive = false;
      res.writeHead(400, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
      return;
    }
    app(req, res);
  };
}
