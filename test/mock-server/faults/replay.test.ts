/**
 * Replayability: the same seed, plan and request sequence give the same faults and the same
 * journal, modulo wall-clock timestamps and correlation ids.
 */
import { describe, expect, it } from 'vitest';
import type { FaultPlanInput, JournalEntry } from '../../../mock-server/index.js';
import { live, person, searchPath, TEI_PATH, until } from './live.js';

const plan: FaultPlanInput = {
  rules: [
    { kind: 'latency', delay: { dist: 'lognormal', medianMs: 2, sigma: 0.7, maxMs: 8 }, probability: 0.5 },
    { kind: 'error-before-commit', method: 'POST', status: 503, retryAfterSeconds: 1, probability: 0.2 },
    { kind: 'error-after-commit', method: 'POST', status: 502, probability: 0.2 },
    { kind: 'drop-after-commit', method: ['POST', 'PUT'], probability: 0.15 },
    { kind: 'duplicate-delivery', method: 'PUT', probability: 0.3 },
    { kind: 'rate-limit', method: 'GET', probability: 0.1, retryAfterSeconds: 0 },
  ],
};

/** A fixed script: naive-ish upserts of a few keys, each step waiting for the server to finish the last. */
async function run(seed: number): Promise<JournalEntry[]> {
  const env = await live({ seed, uniqueness: 'racy', raceWindowMs: [0, 1], faults: { ...plan } });
  try {
    let steps = 0;
    const settle = () => until(() => clientResponses(env.mock.admin.journal().entries) === steps);
    for (let i = 0; i < 30; i++) {
      const nid = `RP-${i % 10}`;
      steps++;
      const found = await env.call('GET', searchPath(nid));
      await settle();
      const hit = found.ok && found.answer.status === 200 ? (found.answer.json().trackedEntityInstances[0]?.trackedEntityInstance as string | undefined) : undefined;
      steps++;
      if (hit) await env.call('PUT', `${TEI_PATH}/${hit}`, person(nid, { trackedEntityInstance: hit }));
      else await env.call('POST', TEI_PATH, person(nid));
      await settle();
    }
    return env.mock.admin.journal().entries;
  } finally {
    await env.close();
  }
}

/** Responses to the script's own requests (not to the emulator's re-deliveries). */
function clientResponses(entries: JournalEntry[]): number {
  const deliveries = new Set(entries.flatMap((e) => (e.type === 'request' && e.deliveryOf ? [e.requestId] : [])));
  return entries.filter((e) => e.type === 'response' && !deliveries.has(e.requestId)).length;
}

/** Strip what legitimately differs between runs: wall-clock times and random correlation ids. */
function normalise(entries: JournalEntry[]): unknown[] {
  const ids = new Map<string, string>();
  const id = (x: string) => {
    if (!ids.has(x)) ids.set(x, `req#${ids.size + 1}`);
    return ids.get(x)!;
  };
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  return entries.map((e) => {
    const { at: _at, ...rest } = e as JournalEntry & { durationMs?: number };
    const out: Record<string, unknown> = { ...rest };
    delete out.durationMs;
    if (e.requestId) out.requestId = id(e.requestId);
    if (e.type === 'request' && e.deliveryOf) out.deliveryOf = id(e.deliveryOf);
    if (e.type === 'fault' && e.detail) out.detail = e.detail.replace(uuid, (m) => id(m));
    if (e.type === 'response') out.summary = e.summary.replace(uuid, (m) => id(m));
    return out;
  });
}

describe('replay', () => {
  it('same seed, same sequence → identical faults and journal', async () => {
    const a = normalise(await run(1234));
    const b = normalise(await run(1234));
    expect(b).toEqual(a);
    const kinds = new Set(a.filter((e) => (e as { type: string }).type === 'fault').map((e) => (e as { kind: string }).kind));
    console.log(`replay: fault kinds exercised: ${[...kinds].join(', ')}`);
    // the script is long enough to exercise most of the plan
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });

  it('another seed → another fault sequence', async () => {
    const faults = (entries: unknown[]) => entries.filter((e) => (e as { type: string }).type === 'fault').map((e) => `${(e as { kind: string }).kind}@${(e as { route: string }).route}#${(e as { ordinal: number }).ordinal}`);
    expect(faults(normalise(await run(1234)))).not.toEqual(faults(normalise(await run(4321))));
  });
});
