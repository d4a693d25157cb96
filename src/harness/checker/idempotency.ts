/**
 * Idempotency: k applications of upsert(r) leave what one leaves and return the same UID every
 * time (upsert.md). A repeat that fails where a single call would succeed also breaks it.
 */
import type { NotIdempotentFinding } from '../findings.js';
import { externallyAmbiguous, faulted, type KeyView } from './key-view.js';

export function checkIdempotency(view: KeyView): NotIdempotentFinding[] {
  if (view.ambiguous || externallyAmbiguous(view)) return [];
  const out: NotIdempotentFinding[] = [];
  const all = [...view.main, ...view.heal];
  const returned = all.filter((o) => o.outcome === 'ok' && o.uid);
  const uids = [...new Set(returned.map((o) => o.uid!))];
  if (uids.length > 1) {
    out.push({
      code: 'NOT_IDEMPOTENT',
      reason: 'different-uids',
      key: view.key,
      uids,
      ops: returned.map((o) => o.id),
      message: `Upserts of key ${view.key} reported different entities: ${returned.map((o) => `op${o.id}→${o.uid}`).join(', ')}.`,
    });
  }
  const live = new Set(view.final.map((e) => e.uid));
  const stale = returned.filter((o) => !live.has(o.uid!));
  if (uids.length <= 1 && stale.length > 0 && view.final.length > 0) {
    out.push({
      code: 'NOT_IDEMPOTENT',
      reason: 'uid-not-live',
      key: view.key,
      uids: [...new Set(stale.map((o) => o.uid!))],
      ops: stale.map((o) => o.id),
      message: `op${stale[0].id} reported ${stale[0].uid} for key ${view.key}, but the live entity is ${[...live].join(', ')}.`,
    });
  }
  // "It worked, and doing it again failed": a fault-free call failed while another call of the
  // same key succeeded (the heal call counts: it is a repeat too). A key that never works at all
  // is a convergence problem, not an idempotency one.
  const failed = all.filter((o) => o.outcome !== 'ok' && !faulted(o));
  const succeeded = all.filter((o) => o.outcome === 'ok');
  if (failed.length > 0 && succeeded.length > 0) {
    const f = failed[0];
    out.push({
      code: 'NOT_IDEMPOTENT',
      reason: 'repeat-failed',
      key: view.key,
      uids: [],
      ops: all.map((o) => o.id),
      message: `op${f.id} upserting key ${view.key} failed (${f.outcome}: ${f.error?.code ?? f.error?.name ?? 'error'} ${(f.error?.message ?? '').slice(0, 160)}) with no fault injected, while op${succeeded[0].id} of the same key succeeded: repeating the upsert is not like doing it once.`.replace(/\s+/g, ' '),
    });
  }
  return out;
}
