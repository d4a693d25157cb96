import { Agent, request, type Dispatcher } from 'undici';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** the parsed body when it is JSON, else undefined */
  json?: unknown;
  /** the body parsed as JSON without error */
  isJson: boolean;
}

export interface SendOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  dispatcher: Dispatcher;
}

/**
 * One request, as a client library would send it: no redirects followed (a 302 is an answer to
 * check), any method may carry a body (OpenFn's adaptor sends `{}` with its GETs), the body read
 * whole. Header names come back lower-cased; repeated ones joined with ", ".
 */
export async function send(o: SendOptions): Promise<RawResponse> {
  const res = await request(o.url, {
    method: o.method as Dispatcher.HttpMethod,
    headers: o.headers,
    body: o.body,
    dispatcher: o.dispatcher,
    signal: AbortSignal.timeout(o.timeoutMs),
  });
  const buf = Buffer.from(await res.body.arrayBuffer());
  const text = buf.toString('utf8');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  let json: unknown;
  let isJson = false;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
      isJson = true;
    } catch {
      // not JSON: checks read `text`
    }
  }
  return { status: res.statusCode, headers, text, json, isJson };
}

/** One connection pool per run, closed when the run ends. */
export function newDispatcher(): Agent {
  return new Agent({ connections: 4, pipelining: 1, connectTimeout: 10_000 });
}
