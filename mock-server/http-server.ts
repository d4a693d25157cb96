import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerClientErrors, requireHost } from './client-errors.js';

export interface ListeningServer {
  server: Server;
  /** http://HOST:PORT */
  url: string;
  /**
   * Graceful stop: refuses new connections, closes idle keep-alive sockets at once, lets requests in
   * flight finish and answer (up to `drainMs`), then cuts whatever is left. Idempotent.
   */
  drain(drainMs: number): Promise<void>;
}

/**
 * The emulator's one HTTP server, for `createMockDhis2().listen()` and the process entry alike:
 * DHIS2-shaped answers for what Node handles below express (client-errors.ts), and one drain.
 */
export async function listenHttp(app: RequestListener, port: number, host: string): Promise<ListeningServer> {
  const server = createServer({ requireHostHeader: false }, requireHost(app));
  answerClientErrors(server);
  server.keepAliveTimeout = 5000;
  // requests in flight per socket, so a drain can close idle keep-alive sockets at once
  const busy = new Map<Socket, number>();
  let draining = false;
  let drained: (() => void) | null = null;
  const inFlight = () => {
    let n = 0;
    for (const v of busy.values()) n += v;
    return n;
  };
  server.on('connection', (socket: Socket) => {
    busy.set(socket, 0);
    socket.on('close', () => {
      busy.delete(socket);
      if (draining && inFlight() === 0) drained?.();
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.on('close', () => {
      const n = (busy.get(socket) ?? 1) - 1;
      if (busy.has(socket)) busy.set(socket, n);
      if (draining && n === 0) socket.destroy();
      if (draining && inFlight() === 0) drained?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  let stopped: Promise<void> | null = null;
  const drain = (drainMs: number) => {
    stopped ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, n] of busy) if (n === 0) socket.destroy();
      if (inFlight() > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      for (const socket of busy.keys()) socket.destroy();
      await closed;
    })();
    return stopped;
  };
  return { server, url, drain };
}
