/**
 * A loopback proxy in front of the emulator that injects the faults the core must survive,
 * decided per request by a test-supplied plan: answer without forwarding (502 HTML, 429), forward
 * and then drop the connection (commit, then lost response), or reset before forwarding.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultAction =
  /** Forward; with `hold`, wait for it before forwarding (a barrier to line up races). */
  | { kind: 'pass'; hold?: Promise<void> }
  | { kind: 'respond'; status: number; body: string; headers?: Record<string, string> }
  /** Forward, let the server commit, then destroy the client socket instead of answering. */
  | { kind: 'commit-then-drop' }
  /** Destroy the client socket without forwarding. */
  | { kind: 'reset' };

export interface ProxiedRequest {
  n: number;
  method: string;
  url: string;
  body: string;
}

export interface FaultProxy {
  url: string;
  seen: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, plan: (req: ProxiedRequest) => FaultAction): Promise<FaultProxy> {
  const upstream = new URL(target);
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const info: ProxiedRequest = { n: seen.length + 1, method: req.method ?? 'GET', url: req.url ?? '/', body: body.toString('utf8') };
      seen.push(info);
      const action = plan(info);
      if (action.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (action.kind === 'respond') {
        res.writeHead(action.status, { 'content-type': 'text/html', ...action.headers });
        res.end(action.body);
        return;
      }
      void (action.kind === 'pass' && action.hold ? action.hold : Promise.resolve()).then(() => forward(action));
    });
    const forward = (action: FaultAction) => {
      const headers = { ...req.headers, host: upstream.host };
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (upRes) => {
          const parts: Buffer[] = [];
          upRes.on('data', (c: Buffer) => parts.push(c));
          upRes.on('end', () => {
            if (action.kind === 'commit-then-drop') {
              req.socket.destroy();
              return;
            }
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    };
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/** Resolves every `arrive()` once `n` callers have arrived: lines up n searches before any answer. */
export function barrier(n: number): { arrive(): Promise<void> } {
  let count = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    arrive() {
      if (++count >= n) open();
      return opened;
    },
  };
}

export const isKeySearch = (r: ProxiedRequest) => r.method === 'GET' && /\/(trackedEntityInstances|tracker\/trackedEntities)\?/.test(r.url);
