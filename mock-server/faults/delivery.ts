import http from 'node:http';
import type { Request } from 'express';

/** Marks the emulator's own re-deliveries: `<engine secret> <client request id> <1|2>`. */
export const DELIVERY_HEADER = 'x-dhis2-mock-delivery';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'proxy-connection', DELIVERY_HEADER]);
const RAW_BODY_CAP = 64 * 1024 * 1024;

export interface Delivered {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** the X-Request-ID the emulator gave the delivery */
  requestId?: string;
}

export function parseDeliveryHeader(req: Request, secret: string): { of: string; n: number } | undefined {
  const value = req.headers[DELIVERY_HEADER];
  if (typeof value !== 'string') return undefined;
  const [token, of, n] = value.split(' ');
  if (token !== secret || !of) return undefined;
  return { of, n: Number(n) || 1 };
}

/** The request body as received (the fault layer runs before any body parser). */
export function readRawBody(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > RAW_BODY_CAP) return req.destroy(new Error('request body over 64 MB'));
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Sends a copy of the client's request to the emulator itself over loopback, as a proxy in front
 * of DHIS2 would: it goes through the journal, auth, body parsing and the handler like any request.
 */
export function deliver(req: Request, body: Buffer, marker: string): Promise<Delivered> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE'].includes(req.method)) headers['content-length'] = body.length;
  headers[DELIVERY_HEADER] = marker;
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      { host: req.socket.localAddress, port: req.socket.localPort, family: req.socket.localFamily === 'IPv6' ? 6 : 4, method: req.method, path: req.originalUrl, headers, agent: false },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks), requestId: answer.headers['x-request-id'] as string | undefined }),
        );
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export function relayableHeaders(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && k !== 'x-request-id' && k !== 'date' && v !== undefined) out[k] = v;
  return out;
}
