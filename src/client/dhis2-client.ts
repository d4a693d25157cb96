/**
 * A small DHIS2 Web API client over one undici Agent. Keep-alive with pipelining 1 because a
 * pipelined write behind a failed request would share its unknown outcome; bounded connections
 * so a harness hammering the server cannot exhaust sockets.
 */
import { Agent, type Dispatcher } from 'undici';
import { AbortedError, HarnessError, InvalidOptionsError } from '../errors.js';
import { raceAbort } from './abort.js';
import { classifyHttpStatus, classifyThrown } from './classify.js';
import { type NormalisedBaseUrl, normaliseBaseUrl, type Query, resolvePath } from './url.js';
import { type Dhis2VersionInfo, parseDhis2Version } from './version.js';

export type Dhis2Auth = { username: string; password: string } | { token: string };

export interface Dhis2Timeouts {
  /** Milliseconds to establish the TCP/TLS connection. */
  connect: number;
  /** Milliseconds from sending the request to receiving the response headers. */
  headers: number;
  /** Milliseconds allowed between body chunks. */
  body: number;
}

export interface Dhis2ClientOptions {
  baseUrl: string;
  auth: Dhis2Auth;
  timeouts?: Partial<Dhis2Timeouts>;
  /** Skip detection and use this version ("2.40", "2.39.5"). */
  version?: string;
  /** Use this dispatcher instead of an own Agent (the client then does not close it). */
  agent?: Dispatcher;
  /** Maximum sockets of the own Agent. */
  connections?: number;
  /** Idle keep-alive time of the own Agent's sockets, in milliseconds. */
  keepAliveTimeout?: number;
}

export const DEFAULT_TIMEOUTS: Dhis2Timeouts = { connect: 5_000, headers: 30_000, body: 30_000 };

export interface Dhis2Response<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function authHeader(auth: Dhis2Auth): string {
  if ('token' in auth) {
    if (!auth.token) throw new InvalidOptionsError('auth.token is empty: pass a DHIS2 personal access token (d2pat_…)');
    return `ApiToken ${auth.token}`;
  }
  if (typeof auth.username !== 'string' || typeof auth.password !== 'string') {
    throw new InvalidOptionsError('auth needs {username, password} or {token}');
  }
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.length === 0) return contentType && /json/i.test(contentType) ? null : '';
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export class Dhis2Client {
  readonly baseUrl: NormalisedBaseUrl;
  readonly timeouts: Dhis2Timeouts;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly authorization: string;
  private versionPromise?: Promise<Dhis2VersionInfo>;
  private requests = 0;
  private closed = false;

  constructor(options: Dhis2ClientOptions) {
    if (!options || typeof options.baseUrl !== 'string') throw new InvalidOptionsError('Dhis2Client needs options.baseUrl');
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.authorization = authHeader(options.auth);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    if (options.version !== undefined) {
      const parsed = parseDhis2Version(options.version);
      this.versionPromise = Promise.resolve(parsed);
    }
    if (options.agent) {
      this.dispatcher = options.agent;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = new Agent({
        pipelining: 1,
        connections: options.connections ?? 16,
        keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
        connect: { timeout: this.timeouts.connect },
        headersTimeout: this.timeouts.headers,
        bodyTimeout: this.timeouts.body,
      });
      this.ownsDispatcher = true;
    }
  }

  /** Requests dispatched so far (including failed ones); the harness reports requests per upsert. */
  get requestCount(): number {
    return this.requests;
  }

  /** A stable identity for single-flight keys: the API root this client talks to. */
  get origin(): string {
    return this.baseUrl.origin + this.baseUrl.contextPath;
  }

  get<T = unknown>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}): Promise<Dhis2Response<T>> {
    return this.request<T>('GET', path, { ...opts, query });
  }

  post<T = unknown>(path: string, body: unknown, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}): Promise<Dhis2Response<T>> {
    return this.request<T>('POST', path, { ...opts, body, query });
  }

  put<T = unknown>(path: string, body: unknown, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}): Promise<Dhis2Response<T>> {
    return this.request<T>('PUT', path, { ...opts, body, query });
  }

  delete<T = unknown>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}): Promise<Dhis2Response<T>> {
    return this.request<T>('DELETE', path, { ...opts, query });
  }

  /**
   * One exchange. Resolves for 2xx; rejects with HttpError / Dhis2ConflictError / ValidationError
   * for other statuses (the parsed body is on the error), TransportError or AbortedError otherwise.
   */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<Dhis2Response<T>> {
    if (this.closed) throw new HarnessError('Dhis2Client is closed; create a new client');
    const pathAndQuery = resolvePath(this.baseUrl, path, opts.query);
    const url = this.baseUrl.origin + pathAndQuery;
    if (opts.signal?.aborted) throw new AbortedError(opts.signal.reason, false);
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: this.authorization,
      ...opts.headers,
    };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    this.requests++;
    let headersReceived = false;
    try {
      const res = await this.dispatcher.request({
        origin: this.baseUrl.origin,
        path: pathAndQuery,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: payload,
        signal: opts.signal,
        headersTimeout: this.timeouts.headers,
        bodyTimeout: this.timeouts.body,
      });
      headersReceived = true;
      const text = await res.body.text();
      const contentType = res.headers['content-type'];
      const body = parseBody(text, Array.isArray(contentType) ? contentType[0] : contentType);
      if (res.statusCode >= 200 && res.statusCode < 300) {
        return { status: res.statusCode, headers: res.headers, body: body as T };
      }
      throw classifyHttpStatus({ status: res.statusCode, method, url, body, headers: res.headers });
    } catch (err) {
      throw classifyThrown(err, { method, url, headersReceived, signal: opts.signal });
    }
  }

  /** The server's version from `GET /api/system/info`, fetched once per client. */
  detectVersion(signal?: AbortSignal): Promise<Dhis2VersionInfo> {
    if (!this.versionPromise) {
      // Not tied to the caller's signal: other callers may be waiting on the same request.
      const p = this.get<{ version?: unknown }>('system/info').then((res) => {
        const v = res.body && typeof res.body === 'object' ? res.body.version : undefined;
        if (typeof v !== 'string') {
          throw new HarnessError(`GET /api/system/info has no version string; pass options.version to the client`);
        }
        return parseDhis2Version(v);
      });
      this.versionPromise = p;
      // A failed detection (e.g. server still starting) must not be cached forever.
      p.catch(() => {
        if (this.versionPromise === p) this.versionPromise = undefined;
      });
    }
    return raceAbort(this.versionPromise, signal);
  }

  /** Forget the detected version (e.g. after the server was upgraded or reconfigured). */
  resetVersion(): void {
    this.versionPromise = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}
