/**
 * Metadata a client reads once per server (an attribute's uniqueness, a program's stages): the
 * first read is shared by concurrent upserts, and only an answer is remembered. A failed read
 * (429, 5xx, a dropped connection) is forgotten at once, so the next upsert asks again instead of
 * acting on a failure as if it were the server's answer (the cached-429 defect of issue 11).
 */
import { raceAbort } from '../client/abort.js';
import type { Dhis2Client } from '../client/dhis2-client.js';

export class MetadataCache<T> {
  private readonly byClient = new WeakMap<Dhis2Client, Map<string, Promise<T>>>();

  /** The cached read of `id` for `client`, or `load()`'s; the caller's signal abandons only its own wait. */
  read(client: Dhis2Client, id: string, load: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let perClient = this.byClient.get(client);
    if (!perClient) {
      perClient = new Map();
      this.byClient.set(client, perClient);
    }
    const hit = perClient.get(id);
    if (hit) return raceAbort(hit, signal);
    // shared by concurrent upserts, so not cancelled by one caller's signal
    const p = load();
    perClient.set(id, p);
    p.catch(() => {
      if (perClient.get(id) === p) perClient.delete(id);
    });
    return raceAbort(p, signal);
  }
}
