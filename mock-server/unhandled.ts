/**
 * Requests the emulator has no handler for. A real DHIS2 answers many endpoints the emulator does
 * not implement (`GET /api/resources`, which language-dhis2 2.0.11 calls before every upsert, is
 * one), so a 404 "No handler found" from the emulator may be the emulator's gap, not the client's
 * bug. They are collected here, grouped by method and path, so a harness run can say which
 * requests its verdict did not see answered as DHIS2 would (`GET /__admin/unhandled`).
 */

export interface UnhandledRequest {
  method: string;
  /** as the client sent it, without the query string (`/api/41/resources`) */
  path: string;
  /** how many such requests arrived since the last reset */
  count: number;
  /** epoch ms of the first and the latest */
  firstAt: number;
  lastAt: number;
  /** the status the emulator answered (404) */
  status: number;
  /** journal request ids of the first {@link MAX_REQUEST_IDS} such requests, to find them in the journal */
  requestIds: string[];
}

/** Distinct (method, path) pairs kept; more are counted in `dropped`. */
export const MAX_UNHANDLED_KINDS = 200;
const MAX_REQUEST_IDS = 20;

export class UnhandledLog {
  private readonly byKey = new Map<string, UnhandledRequest>();
  /** requests not kept because {@link MAX_UNHANDLED_KINDS} kinds were already listed */
  dropped = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  record(request: { method: string; path: string; status: number; requestId?: string }): void {
    const key = `${request.method} ${request.path}`;
    const now = this.clock();
    let entry = this.byKey.get(key);
    if (!entry) {
      if (this.byKey.size >= MAX_UNHANDLED_KINDS) {
        this.dropped++;
        return;
      }
      entry = { method: request.method, path: request.path, count: 0, firstAt: now, lastAt: now, status: request.status, requestIds: [] };
      this.byKey.set(key, entry);
    }
    entry.count++;
    entry.lastAt = now;
    if (request.requestId && entry.requestIds.length < MAX_REQUEST_IDS) entry.requestIds.push(request.requestId);
  }

  /** In order of first arrival; copies, so callers cannot change the log. */
  list(): UnhandledRequest[] {
    return [...this.byKey.values()].map((e) => ({ ...e, requestIds: [...e.requestIds] }));
  }

  clear(): void {
    this.byKey.clear();
    this.dropped = 0;
  }
}
