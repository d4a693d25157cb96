/**
 * Clients for the harness shape `(record, ctx)`: one per base URL and user, reused across calls
 * so keep-alive connections, the detected version and metadata caches survive between upserts.
 */
import { Dhis2Client } from '../client/dhis2-client.js';
import { InvalidOptionsError } from '../errors.js';

export interface HarnessContext {
  baseUrl: string;
  username: string;
  password: string;
  signal?: AbortSignal;
}

const clients = new Map<string, { password: string; client: Dhis2Client }>();
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
  const client = new Dhis2Client({ baseUrl: ctx.baseUrl, auth: { username: ctx.username, password: ctx.password } });
  clients.set(id, { password: ctx.password, client });
  while (clients.size > MAX_CACHED_CLIENTS) {
    const [oldest, entry] = clients.entries().next().value!;
    clients.delete(oldest);
    void entry.client.close();
  }
  return client;
}

/** Closes every cached client (tests and CLI shutdown). */
export async function closeCachedClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.client.close()));
}
