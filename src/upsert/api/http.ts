/**
 * The client as one upsert sees it: every request is counted here, so `requests` in an upsert's
 * result is exact even when many upserts share one client concurrently.
 */
import type { Dhis2Client, Dhis2Response } from '../../client/dhis2-client.js';
import type { Query } from '../../client/url.js';

export class CountingHttp {
  count = 0;
  constructor(readonly client: Dhis2Client) {}

  get<T = unknown>(path: string, query?: Query, signal?: AbortSignal): Promise<Dhis2Response<T>> {
    this.count++;
    return this.client.get<T>(path, query, { signal });
  }

  post<T = unknown>(path: string, body: unknown, query?: Query, signal?: AbortSignal): Promise<Dhis2Response<T>> {
    this.count++;
    return this.client.post<T>(path, body, query, { signal });
  }

  put<T = unknown>(path: string, body: unknown, query?: Query, signal?: AbortSignal): Promise<Dhis2Response<T>> {
    this.count++;
    return this.client.put<T>(path, body, query, { signal });
  }
}
