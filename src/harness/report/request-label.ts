/**
 * Short words for what a request did, the same on the timeline's ticks and in the interleaving
 * list beside it, so a screenshot tells the story: `search → 0`, `POST 200`, `drop after commit`.
 */
import type { CommitEntry, FaultEntry, JournalEntry, RequestEntry, ResponseEntry } from '../../../mock-server/index.js';

/** Collections searched by key: legacy and tracker, with or without `/api/NN/` and `.json`. */
const SEARCH_PATH = /\/(trackedEntityInstances|trackedEntities)(\.json)?$/;
const READ_PATH = /\/(trackedEntityInstances|trackedEntities)\/[A-Za-z][A-Za-z0-9]{10}(\.json)?$/;

/** `system/info` for `/api/40/system/info.json`: what a metadata read asked for. */
function resource(path: string): string {
  return path.replace(/^.*?\/api\/(\d+\/)?/, '').replace(/\.json$/, '');
}
const RESULT_COUNT = /\b(?:trackedEntityInstances|instances|trackedEntities): (\d+)/;

export interface RequestStory {
  request: RequestEntry;
  response?: ResponseEntry;
  fault?: FaultEntry;
}

/** Each request of these entries with its response and the fault injected into it, in order. */
export function requestStories(entries: readonly JournalEntry[]): RequestStory[] {
  const byId = new Map<string, RequestStory>();
  for (const e of entries) {
    if (e.type === 'request') byId.set(e.requestId, { request: e });
    else if (e.type === 'response') {
      const s = byId.get(e.requestId);
      if (s) s.response = e;
    } else if (e.type === 'fault') {
      const s = byId.get(e.requestId);
      if (s) s.fault ??= e;
    }
  }
  return [...byId.values()];
}

export function faultWords(kind: string): string {
  return kind.replace(/-/g, ' ');
}

/**
 * `search → 0` (results), `read → 200` (by UID), `GET system/info 200` (metadata), `POST 200`,
 * `PUT closed` (no answer), or the injected fault: `drop after commit`.
 */
export function requestLabel({ request, response, fault }: RequestStory): string {
  if (fault && fault.kind !== 'latency' && fault.kind !== 'stale-search') return faultWords(fault.kind);
  const stale = fault?.kind === 'stale-search' ? ' (stale)' : '';
  if (request.method === 'GET' && SEARCH_PATH.test(request.path)) {
    const count = response ? RESULT_COUNT.exec(response.summary)?.[1] : undefined;
    return `search → ${count ?? (response ? response.status || 'closed' : '…')}${stale}`;
  }
  const status = response ? (response.status === 0 ? 'closed' : String(response.status)) : '…';
  if (request.method === 'GET') return READ_PATH.test(request.path) ? `read → ${status}${stale}` : `GET ${resource(request.path)} ${status}`;
  return `${request.method} ${status}`;
}

export function commitLabel(c: CommitEntry): string {
  return `commit: ${c.operation}${c.deleted ? ' (deleted)' : ''} ${c.uid}`;
}
