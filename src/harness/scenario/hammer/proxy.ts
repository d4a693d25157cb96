/**
 * A forwarding handler for the harness's Gateway, so `hammer` can give every operation its own
 * base URL (`http://127.0.0.1:PORT/op-7`) in front of any DHIS2: each operation then behaves like
 * a separate job run (its own client, no in-process single-flight between them), and every
 * request is attributed to the operation that sent it.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

export function forwardTo(target: string): (req: IncomingMessage, res: ServerResponse) => void {
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/+$/, '');
  const client = base.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: 64 });
  return (req, res) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers.host = base.host;
    const upstream = client.request(
      { protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, method: req.method, path: `${prefix}${req.url ?? '/'}`, headers, agent },
      (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    // the target failed below HTTP: the client must see a failed connection too, not an invented answer
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
}
