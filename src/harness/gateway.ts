/**
 * The harness's HTTP front door to the emulator, like a proxy in front of DHIS2. Each simulated job
 * run (client) gets its own base URL (`http://127.0.0.1:PORT/g3-c1`, a servlet-style context path
 * every DHIS2 client supports), and the operations of one client share it, as one job run's
 * requests share one DHIS2 URL. A request belongs to the operation its client is running; the
 * gateway parks it at the coordinator's gate and tags the one request a fault is aimed at, so the
 * emulator's fault engine (one definition of every fault) injects it and journals whether the
 * request had committed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Coordinator } from './coordinator.js';
import type { RequestTrace } from './history.js';
import type { FaultKind } from './types.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The header the gateway sets on the request a fault is aimed at; the run's fault plan matches it. */
export const FAULT_TAG_HEADER = 'x-dhis2-harness-fault';
/** The emulator's marker on its own re-deliveries (mock-server/faults/delivery.ts). */
const DELIVERY_HEADER = 'x-dhis2-mock-delivery';

/** The lane of the other system's writes (a clerk in the DHIS2 app), next to the clients 0, 1, … */
export const OTHER_LANE = -1;

export interface AimedFault {
  /** the fault plan rule's tag */
  tag: string;
  kind: FaultKind;
}

export interface GatewayOptions {
  handler: Handler;
  coordinator: Coordinator;
  /** the fault aimed at a request of the current call of `lane`, if any (`nth`: the call's requests so far) */
  faultFor?(call: number, request: { method: string; path: string; nth: number }, previous: readonly RequestTrace[]): AimedFault | undefined;
  /** how a call is named in the interleaving (`op3`, `op3+op4`) */
  labelOf?(call: number): string;
}

const PREFIX = /^\/g(\d+)-(c(\d+)|other)(?=\/|$)/;

/**
 * Each run gets its own context-path prefix: a gateway is reused run after run (and ports are
 * reused between gateways), and a client that cached what it learnt about
 * `http://127.0.0.1:PORT/g7-c1` (the DHIS2 version above all) must not meet another run's
 * emulator under the same URL.
 */
let runCounter = 0;

export class Gateway {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** the call each lane is running, and the last one it ran (late requests belong to it) */
  private current = new Map<number, number>();
  private last = new Map<number, number>();
  /** requests per call, in arrival order */
  requests = new Map<number, RequestTrace[]>();
  /** emulator request id → call */
  requestCalls = new Map<string, number>();
  /** emulator request id → lane */
  private requestLanes = new Map<string, number>();
  url = '';

  private id = ++runCounter;
  private options: GatewayOptions;

  constructor(options: GatewayOptions) {
    this.options = options;
  }

  /** Reuse for another run: new base URLs, nothing remembered; requests of the old run are refused. */
  nextRun(options: GatewayOptions): void {
    this.options = options;
    this.id = ++runCounter;
    this.current = new Map();
    this.last = new Map();
    this.requests = new Map();
    this.requestCalls = new Map();
    this.requestLanes = new Map();
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    // undici drops a connection after each response when the server's advertised keep-alive
    // (`Keep-Alive: timeout=N`) is within 2 s of its threshold: every request then paid a TCP
    // connect and close. Idle sockets of a finished verification are destroyed by close().
    server.keepAliveTimeout = 30_000;
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

  baseUrlFor(lane: number): string {
    return `${this.url}/g${this.id}-${lane === OTHER_LANE ? 'other' : `c${lane}`}`;
  }

  /** The runner says which call a lane runs now; requests of the lane are attributed to it. */
  beginCall(lane: number, call: number): void {
    this.current.set(lane, call);
    this.last.set(lane, call);
    if (!this.requests.has(call)) this.requests.set(call, []);
  }

  endCall(lane: number): void {
    this.current.delete(lane);
  }

  callOfRequest(requestId: string): number | undefined {
    return this.requestCalls.get(requestId);
  }

  laneOfRequest(requestId: string): number | undefined {
    return this.requestLanes.get(requestId);
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
    const m = PREFIX.exec(req.url ?? '');
    if (!m) return this.unprefixed(req, res);
    // a late request of a run that is over must not reach the next run's emulator
    if (Number(m[1]) !== this.id) return void req.socket.destroy();
    const lane = m[3] !== undefined ? Number(m[3]) : OTHER_LANE;
    req.url = (req.url ?? '').slice(m[0].length) || '/';
    const call = this.current.get(lane) ?? this.last.get(lane);
    const method = req.method ?? 'GET';
    const path = req.url;
    const list = call === undefined ? [] : this.requests.get(call)!;
    const fault = call === undefined ? undefined : this.options.faultFor?.(call, { method, path, nth: list.length }, list);
    const trace: RequestTrace = { method, path, ...(fault ? { fault: fault.kind } : {}) };
    list.push(trace);
    if (fault) req.headers[FAULT_TAG_HEADER] = fault.tag;
    const c = this.options.coordinator;
    c.requestArrived(lane);
    res.once('close', () => {
      trace.status ??= res.writableFinished ? res.statusCode : 0;
      c.requestFinished(lane);
    });
    this.watchRequestId(res, (id) => {
      trace.requestId = id;
      if (call !== undefined) this.requestCalls.set(id, call);
      this.requestLanes.set(id, lane);
    });
    const who = call === undefined ? `c${lane}` : (this.options.labelOf?.(call) ?? `op${call}`);
    void c.gate(lane, `${who} ${method} ${path.split('?')[0]}`).then(() => this.options.handler(req, res));
  }

  /**
   * The emulator's own second delivery of a request (duplicate-delivery fault) comes back through
   * here without a prefix: it belongs to the call of the request it copies.
   */
  private unprefixed(req: IncomingMessage, res: ServerResponse): void {
    const marker = req.headers[DELIVERY_HEADER];
    const of = typeof marker === 'string' ? marker.split(' ')[1] : undefined;
    if (of !== undefined) {
      this.watchRequestId(res, (id) => {
        const call = this.requestCalls.get(of);
        const lane = this.requestLanes.get(of);
        if (call !== undefined) this.requestCalls.set(id, call);
        if (lane !== undefined) this.requestLanes.set(id, lane);
      });
    }
    this.options.handler(req, res);
  }

  /** The emulator's journal middleware names each request (`X-Request-ID`); learn whose it is. */
  private watchRequestId(res: ServerResponse, onId: (id: string) => void): void {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === 'x-request-id' && typeof value === 'string') onId(value);
      return setHeader(name, value);
    }) as ServerResponse['setHeader'];
  }
}
