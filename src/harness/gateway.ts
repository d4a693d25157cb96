/**
 * The harness's HTTP front door to an in-process emulator. Each operation gets its own base URL
 * (`http://127.0.0.1:PORT/g3-op-7`, a servlet-style context path every DHIS2 client supports), so
 * every request is attributed to the operation that sent it. The gateway parks requests at the
 * coordinator's gates and injects the fault plan, like a proxy in front of DHIS2 would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RequestTrace } from './history.js';
import type { Coordinator } from './coordinator.js';
import type { FaultKind } from './types.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface GatewayOptions {
  handler: Handler;
  coordinator: Coordinator;
  /** the fault to inject into the n-th request (0-based) of an operation, if any */
  faultFor(op: number, request: number): FaultKind | undefined;
}

const OP_PREFIX = /^\/g\d+-op-(\d+)(?=\/|$)/;

/**
 * Each gateway gets its own context-path prefix: ports are reused between runs, and a client that
 * cached what it learnt about `http://127.0.0.1:PORT/op-1` (the DHIS2 version above all) must not
 * meet a different emulator under the same URL in the next run.
 */
let gatewayCounter = 0;

export class Gateway {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  readonly requests = new Map<number, RequestTrace[]>();
  /** emulator request id → operation */
  readonly requestOps = new Map<string, number>();
  url = '';

  private readonly id = ++gatewayCounter;

  constructor(private readonly options: GatewayOptions) {}

  async listen(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 2000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  baseUrlFor(op: number): string {
    return `${this.url}/g${this.id}-op-${op}`;
  }

  opOfRequest(requestId: string): number | undefined {
    return this.requestOps.get(requestId);
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const m = OP_PREFIX.exec(req.url ?? '');
    if (!m) return this.options.handler(req, res);
    const op = Number(m[1]);
    req.url = (req.url ?? '').slice(m[0].length) || '/';
    const list = this.requests.get(op) ?? [];
    this.requests.set(op, list);
    const fault = this.options.faultFor(op, list.length);
    const trace: RequestTrace = { method: req.method ?? 'GET', path: req.url, ...(fault ? { fault } : {}) };
    list.push(trace);
    const c = this.options.coordinator;
    c.requestArrived(op);
    res.once('close', () => {
      trace.status ??= res.writableFinished ? res.statusCode : 0;
      c.requestFinished(op);
    });
    // the emulator's journal middleware names each request; remember whose it is
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === 'x-request-id' && typeof value === 'string') {
        trace.requestId = value;
        this.requestOps.set(value, op);
      }
      return setHeader(name, value);
    }) as ServerResponse['setHeader'];
    const label = `op${op} ${trace.method} ${trace.path.split('?')[0]}`;
    void c.gate(op, label).then(() => this.forward(req, res, trace, fault));
  }

  private forward(req: IncomingMessage, res: ServerResponse, trace: RequestTrace, fault: FaultKind | undefined): void {
    switch (fault) {
      case 'reset-before':
        trace.status = 0;
        req.socket.destroy();
        return;
      case 'unavailable-before':
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '0' });
        res.end('<html><body><h1>503 Service Unavailable</h1>injected by dhis2-harness</body></html>');
        return;
      case 'bad-gateway-after':
      case 'reset-after':
        this.loseResponse(req, res, fault);
        break;
    }
    this.options.handler(req, res);
  }

  /** Let the server do its work, then lose its answer: a 502 from the proxy, or a reset connection. */
  private loseResponse(req: IncomingMessage, res: ServerResponse, fault: 'bad-gateway-after' | 'reset-after'): void {
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.write = (() => true) as ServerResponse['write'];
    res.end = (() => {
      if (fault === 'reset-after' || res.headersSent) {
        req.socket.destroy();
        return res;
      }
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.statusCode = 502;
      res.setHeader('content-type', 'text/html');
      return end('<html><body><h1>502 Bad Gateway</h1>injected by dhis2-harness</body></html>');
    }) as ServerResponse['end'];
  }
}
