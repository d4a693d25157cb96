/**
 * Clients for the harness shape `(record, ctx)`: one per base URL and user, reused across calls
 * so keep-alive connections, the detected version and metadata caches survive between upserts.
 */
import { Agent } from 'undici';
import { DEFAULT_TIMEOUTS, Dhis2Client } from '../client/dhis2-client.js';
import { InvalidOptionsError } from '../errors.js';

export interface HarnessContext {
  baseUrl: string;
  username: string;
  password: string;
  signal?: AbortSignal;
  /**
   * The harness's clock, when time is virtual (scheduled runs, where the scheduler alone decides
   * the order, so waiting for real changes nothing): backoff and Retry-After waits pass instantly.
   */
  clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

const clients = new Map<string, { password: string; client: Dhis2Client }>();

/**
 * One connection pool for every harness-context client: a client per job run and base URL keeps
 * its own caches, but TCP connections to the same host are plain transport and can be kept alive
 * across them (a verification creates thousands of short-lived clients).
 */
let agent: Agent | undefined;
function sharedAgent(): Agent {
  agent ??= new Agent({
    pipelining: 1,
    connections: 64,
    keepAliveTimeout: 4_000,
    connect: { timeout: DEFAULT_TIMEOUTS.connect },
    headersTimeout: DEFAULT_TIMEOUTS.headers,
    bodyTimeout: DEFAULT_TIMEOUTS.body,
  });
  return agent;
}
/** Long harness sessions see thousands of base URLs; the least recently used clients are closed. */
const MAX_CACHED_CLIENTS = 256;

export function clientFor(ctx: HarnessContext): Dhis2Client {
  if (!ctx || typeof ctx.baseUrl !== 'string' || typeof ctx.username !== 'string' || typeof ctx.password !== 'string') {
    throw new InvalidOptionsError('ctx needs { baseUrl, username, password }');
  }
  const id = `${ctx.baseUrl.replace(/\/+$/, '')}\u0000${ctx.username}`;
  const hit = clients.get(id);
  clients.delete(id);
  if (hit && hit.password === ctx.password) {
    clients.set(id, hit);
    return hit.client;
  }
  if (hit) void hit.client.close();
  const client = new Dhis2Client({ baseUrl: ctx.baseUrl, auth: { username: ctx.username, password: ctx.password }, agent: sharedAgent() });
  clients.set(id, { password: ctx.password, client });
  while (clients.size > MAX_CACHED_CLIENTS) {
    const [oldest, entry] = clients.entries().next().value!;
    clients.delete(oldest);
    void entry.client.close();
  }
  return client;
}

/**
 * Closes the cached clients whose base URL starts with `prefix` (every cached client when absent:
 * tests and CLI shutdown). A harness run closes only its own, so runs side by side never close
 * each other's clients.
 */
export async function closeCachedClients(prefix?: string): Promise<void> {
  const closing: Dhis2Client[] = [];
  for (const [id, entry] of clients) {
    if (prefix !== undefined && !id.startsWith(prefix)) continue;
    clients.delete(id);
    closing.push(entry.client);
  }
  await Promise.all(closing.map((c) => c.close()));
  if (prefix === undefined && agent) {
    const a = agent;
    agent = undefined;
    await a.close();
  }
}
