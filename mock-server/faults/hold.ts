import type { Response } from 'express';
import type { FaultResponse } from './responses.js';

/** The handler's finished answer, held back from the client until the fault decides its fate. */
export interface HeldAnswer {
  status: number;
  /** send it as the handler wrote it */
  release(): void;
  /** send this instead (the handler's headers are discarded, X-Request-ID kept) */
  replace(answer: FaultResponse): void;
}

type Chunk = [chunk: string | Uint8Array, encoding?: BufferEncoding];

/**
 * Runs the handler normally but captures `write`/`end`, so that post-commit faults act on a
 * response whose commit has already happened: nothing reaches the socket until the fault releases,
 * replaces or drops it. Headers are still unsent then (Node sends them with the first write).
 */
export function holdResponse(res: Response, onAnswer: (answer: HeldAnswer) => void): void {
  const write = res.write;
  const end = res.end;
  const chunks: Chunk[] = [];
  const restore = () => {
    res.write = write;
    res.end = end;
  };
  const capture = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push([chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined]);
  };

  res.write = function heldWrite(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    capture(chunk, encoding);
    const callback = [encoding, cb].find((x) => typeof x === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  } as Response['write'];

  res.end = function heldEnd(chunk?: unknown, encoding?: unknown, cb?: unknown): Response {
    capture(chunk, encoding);
    const callback = [chunk, encoding, cb].find((x) => typeof x === 'function') as (() => void) | undefined;
    let settled = false;
    const settle = () => {
      if (settled || res.destroyed) return false;
      settled = true;
      restore();
      return true;
    };
    onAnswer({
      status: res.statusCode,
      release() {
        if (!settle()) return;
        const last = chunks.pop();
        for (const [c, enc] of chunks) res.write(c, enc as BufferEncoding);
        if (last) res.end(last[0], last[1] as BufferEncoding, callback);
        else res.end(callback);
      },
      replace(answer) {
        if (!settle()) return;
        for (const name of res.getHeaderNames()) if (name !== 'x-request-id') res.removeHeader(name);
        res.status(answer.status);
        for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
        res.setHeader('Content-Length', Buffer.byteLength(answer.body));
        res.end(answer.body, callback);
      },
    });
    return res;
  } as Response['end'];
}
