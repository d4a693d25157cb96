import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const CLIENT_ERRORS: Record<string, [status: number, reason: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line and headers exceed 16 KB: send long filters in fewer, shorter parameters.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request was not received completely in time.'],
};

/**
 * Requests Node's HTTP parser refuses never reach express; Node would answer them with a bare
 * status line. Answer with a WebMessage instead, so every error a client sees has DHIS2's shape.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP/1.1.'];
    const body = JSON.stringify({ httpStatus: reason, httpStatusCode: status, status: 'ERROR', message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

