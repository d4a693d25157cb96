/**
 * One run judged: the workload executed and its history checked, and for a batch implementation
 * the metamorphic property of bulk upserts: the batches leave the same state as the same records
 * upserted one by one, in order (each side on a fresh emulator, sequentially, without faults).
 */
import { checkHistory } from './checker/index.js';
import { carriesKey } from './checker/key-view.js';
import { fifoScheduler } from './fifo-scheduler.js';
import type { BatchDivergesFinding, Finding } from './findings.js';
import type { EntitySnapshot, History } from './history.js';
import { runWorkload, type RunOptions, type RunResult } from './runner.js';
import type { ImplementationSource, OpSpec, Workload } from './types.js';
import { markEmulatorGaps, opsFailedOnUnhandled } from './unhandled.js';

export interface Evaluation {
  result: RunResult;
  findings: Finding[];
}

/** The workload's implementation ops, each batch (a client's ops in one round) in order, sequential and fault-free. */
function batchesOf(w: Workload): OpSpec[][] {
  return w.rounds.flatMap((round) => {
    const byClient = new Map<number, OpSpec[]>();
    for (const op of round) if (!op.other) byClient.set(op.client ?? 0, [...(byClient.get(op.client ?? 0) ?? []), op]);
    return [...byClient.values()];
  });
}

function sequential(w: Workload, groups: OpSpec[][]): Workload {
  return { ...w, faults: [], rounds: groups.map((g) => g.map(({ client: _c, ...op }) => op)) };
}

/**
 * Live holders of each key after the main phase (the heal phase re-sends each key's last record,
 * which would mask a batch that applied its records in the wrong order): their attributes
 * (trimmed, as DHIS2 stores them), sorted, UIDs aside.
 */
function holdersByKey(history: History): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const op of history.ops) {
    const id = op.keyId ?? String(op.key);
    if (out.has(id)) continue;
    const holders = history.snapshots.afterMain
      .filter((e: EntitySnapshot) => carriesKey(e, history.keyAttribute, op.keyValue, op.keyScope))
      .map((e) => Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, v.trim()])));
    out.set(id, holders.map((h) => JSON.stringify(h)).sort().map((h) => JSON.parse(h) as Record<string, string>));
  }
  return out;
}

async function batchDivergence(source: ImplementationSource, w: Workload, options: RunOptions): Promise<BatchDivergesFinding[]> {
  const batches = batchesOf(w);
  if (!batches.some((b) => b.length > 1)) return [];
  const base: RunOptions = { ...options, mode: 'scheduled', scheduler: fifoScheduler() };
  const asBatches = await runWorkload(source, sequential(w, batches), base);
  const oneByOne = await runWorkload(source, sequential(w, batches.flat().map((op) => [op])), { ...base, scheduler: fifoScheduler() });
  const a = holdersByKey(asBatches.history);
  const b = holdersByKey(oneByOne.history);
  const out: BatchDivergesFinding[] = [];
  for (const [id, holders] of a) {
    const other = b.get(id) ?? [];
    if (JSON.stringify(holders) === JSON.stringify(other)) continue;
    const op = asBatches.history.ops.find((o) => (o.keyId ?? String(o.key)) === id)!;
    out.push({
      code: 'BATCH_DIVERGES',
      key: op.keyValue,
      batch: holders,
      oneByOne: other,
      ops: asBatches.history.ops.filter((o) => (o.keyId ?? String(o.key)) === id && o.phase === 'main').map((o) => o.id),
      message: `Upserted in batches (${batches.map((g) => g.length).join(', ')} record(s)), key ${op.keyValue} ends as ${JSON.stringify(holders)}; the same records one by one, in order, leave ${JSON.stringify(other)}.`,
    });
  }
  return out;
}

export async function evaluate(source: ImplementationSource, w: Workload, options: RunOptions): Promise<Evaluation> {
  const result = await runWorkload(source, w, options);
  const findings = checkHistory(result.history);
  // a finding whose operations all failed on an endpoint the emulator lacks may be the emulator's gap
  markEmulatorGaps(findings, opsFailedOnUnhandled(result.history.ops, result.unhandled));
  if (source.kind === 'batch' && options.mode === 'scheduled' && !options.remote) findings.push(...(await batchDivergence(source, w, options)));
  return { result, findings };
}
