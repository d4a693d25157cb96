/**
 * Requests the emulator had no handler for (`GET /__admin/unhandled`), told to the user: a real
 * DHIS2 answers them, the emulator answered 404 "No handler found", so a verdict that rests on
 * those answers may not be DHIS2's. One formatter for every command (verify, run, hammer), and the
 * rule that marks a finding as caused only by such requests (`emulatorGap`).
 */
import pc from 'picocolors';
import type { JournalEntry, UnhandledRequest } from '../../mock-server/index.js';

export type { UnhandledRequest } from '../../mock-server/index.js';

/** How a finding caused only by unhandled requests is labelled in text reports. */
export const EMULATOR_GAP_LABEL = '[emulator gap]';

/** Sums lists from several runs into one, per (method, path), in order of first appearance. */
export function mergeUnhandled(lists: readonly (readonly UnhandledRequest[] | undefined)[]): UnhandledRequest[] {
  const byKey = new Map<string, UnhandledRequest>();
  for (const list of lists) {
    for (const u of list ?? []) {
      const key = `${u.method} ${u.path}`;
      const seen = byKey.get(key);
      if (!seen) byKey.set(key, { ...u, requestIds: [...u.requestIds] });
      else {
        seen.count += u.count;
        seen.firstAt = Math.min(seen.firstAt, u.firstAt);
        seen.lastAt = Math.max(seen.lastAt, u.lastAt);
      }
    }
  }
  return [...byKey.values()];
}

/**
 * The warning every command ends with when the emulator met requests it has no handler for; no
 * lines when there were none. `where` names the run(s) per request (e.g. scenario × implementation).
 */
export function formatUnhandledWarning(requests: readonly UnhandledRequest[], options: { color?: boolean; where?: (u: UnhandledRequest) => string | undefined } = {}): string[] {
  if (requests.length === 0) return [];
  const c = pc.createColors(options.color ?? false);
  const lines = [c.yellow(c.bold(`⚠ The emulator has no handler for ${requests.length === 1 ? 'a request' : `${requests.length} requests`} the implementation sent; it answered 404 "No handler found", where a real DHIS2 answers:`))];
  for (const u of requests) {
    const where = options.where?.(u);
    lines.push(c.yellow(`    ${u.method} ${u.path}  (${u.count}×${where ? `, ${where}` : ''})`));
  }
  lines.push(c.yellow(`  The verdict may not reflect DHIS2. Findings whose operations all failed on these requests are marked ${EMULATOR_GAP_LABEL}. The emulator lacks this endpoint: please report it.`));
  return lines;
}

interface OpEvidence {
  id: number;
  outcome: 'ok' | 'fail' | 'unknown';
  journal?: readonly JournalEntry[];
  requests?: readonly { requestId?: string }[];
}

/**
 * Operations that failed right after the emulator said "No handler found": did not succeed, and
 * their last request was an unhandled one (by its journal marker, or by a request id the log
 * lists). language-dhis2 2.0.11 is the example: its upsert stops at `GET /api/resources`.
 */
export function opsFailedOnUnhandled(ops: readonly OpEvidence[], unhandled: readonly UnhandledRequest[] = []): Set<number> {
  const ids = new Set(unhandled.flatMap((u) => u.requestIds));
  const out = new Set<number>();
  for (const op of ops) {
    if (op.outcome === 'ok') continue;
    const lastInJournal = (op.journal ?? []).filter((e) => e.type === 'request').at(-1);
    const lastSent = op.requests?.at(-1);
    const stoppedThere = (lastInJournal?.type === 'request' && lastInJournal.unhandled === true) || (lastSent?.requestId !== undefined && ids.has(lastSent.requestId));
    if (stoppedThere) out.add(op.id);
  }
  return out;
}

/**
 * Marks findings every one of whose operations failed on an unhandled request: the emulator's
 * missing endpoint, not the implementation, may be all there is to them. Returns how many.
 */
export function markEmulatorGaps(findings: readonly { ops: readonly number[]; emulatorGap?: boolean }[], failedOnUnhandled: ReadonlySet<number>): number {
  let marked = 0;
  for (const f of findings) {
    if (f.ops.length > 0 && f.ops.every((id) => failedOnUnhandled.has(id))) {
      f.emulatorGap = true;
      marked++;
    }
  }
  return marked;
}
