/**
 * The classic naive upsert, written out so tests can pause it between its steps: search by the key;
 * none → POST without a UID; one → PUT it. No retry, no re-search, no stable UID.
 */
import { person, searchPath, TEI_PATH, type Live } from '../faults/live.js';

export interface NaiveResult {
  /** how many entities the search found */
  found: number;
  action: 'created' | 'updated' | 'failed';
  status: number;
  body: string;
}

export interface Gates {
  beforeSearch?: () => Promise<void>;
  beforeWrite?: () => Promise<void>;
}

export async function naiveUpsert(env: Live, nid: string, gates: Gates = {}): Promise<NaiveResult> {
  await gates.beforeSearch?.();
  const hits = (await env.answer('GET', searchPath(nid))).json().trackedEntityInstances as { trackedEntityInstance: string }[];
  await gates.beforeWrite?.();
  const write =
    hits.length === 0
      ? await env.answer('POST', TEI_PATH, person(nid))
      : await env.answer('PUT', `${TEI_PATH}/${hits[0].trackedEntityInstance}`, person(nid));
  const action = write.status !== 200 ? 'failed' : hits.length === 0 ? 'created' : 'updated';
  return { found: hits.length, action, status: write.status, body: write.text };
}

/** Resolves for everyone once `n` callers are waiting: forces "all of them reached this point". */
export function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return () => {
    if (++waiting >= n) open();
    return opened;
  };
}
