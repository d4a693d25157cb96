/**
 * Replay files: a failing run saved as JSON (workload, interleaving as scheduler task ids,
 * emulator seed, what to run) and re-run exactly with `fc.schedulerFor`, without fast-check's
 * generation, so the file alone reproduces the counterexample.
 */
import { readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { emptyCoverage, recordCoverage } from './coverage.js';
import { evaluate } from './evaluate.js';
import type { Finding } from './findings.js';
import type { History } from './history.js';
import { toSource } from './source.js';
import type { RemoteOptions } from './remote-target.js';
import type { BatchImplementation, Implementation, ImplementationSource, RunMode, Workload } from './types.js';
import { counterexampleOf, type VerifyReport } from './verify.js';
import { resolveConstraints, type WorkloadConstraints } from './workload.js';

export const REPLAY_FORMAT = 'dhis2-harness-counterexample';
/** 2: job runs (clients), key spellings, other writers, faults aimed by kind at any request */
export const REPLAY_VERSION = 2;

/** What the CLI ran: a module file, a command, or a built-in implementation by name. */
export interface ReplayTarget {
  module?: string;
  exec?: string;
  implementation?: string;
  /** the implementation is a batch upsert */
  batch?: boolean;
}

export interface ReplayFile {
  format: typeof REPLAY_FORMAT;
  version: typeof REPLAY_VERSION;
  target?: ReplayTarget;
  seed: number;
  path?: string;
  phase: RunMode;
  constraints: Required<WorkloadConstraints>;
  workload: Workload;
  ordering: number[];
  emulatorSeed: number;
  /** what the failing run found (for reading; a replay checks afresh) */
  findings: Finding[];
  history: History;
  replayCommand?: string;
}

export class ReplayFileError extends Error {
  readonly code = 'REPLAY_FILE';
}

export function toReplayFile(report: VerifyReport, target?: ReplayTarget): ReplayFile {
  const c = report.counterexample;
  if (!c) throw new ReplayFileError('Only a failed verification has a counterexample to save.');
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    ...(target ? { target } : {}),
    seed: report.seed,
    ...(report.path !== undefined ? { path: report.path } : {}),
    phase: c.phase,
    constraints: report.constraints,
    workload: c.workload,
    ordering: c.ordering,
    emulatorSeed: c.emulatorSeed,
    findings: c.findings,
    history: c.history,
    ...(report.replayCommand ? { replayCommand: report.replayCommand } : {}),
  };
}

export async function saveReplay(file: string, data: ReplayFile): Promise<void> {
  await writeFile(file, JSON.stringify(data, null, 2) + '\n');
}

export async function loadReplay(file: string): Promise<ReplayFile> {
  let data: Partial<ReplayFile>;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as Partial<ReplayFile>;
  } catch (e) {
    throw new ReplayFileError(`Cannot read the replay file ${file}: ${(e as Error).message}`);
  }
  if (data?.format === REPLAY_FORMAT && data.version !== REPLAY_VERSION) {
    throw new ReplayFileError(`${file} was saved by an older dhis2-harness (replay format ${String(data.version)}; this one reads ${REPLAY_VERSION}): run \`dhis2-harness verify\` again with the seed it names to get a new one.`);
  }
  if (data?.format !== REPLAY_FORMAT || !data.workload || !Array.isArray(data.ordering) || typeof data.emulatorSeed !== 'number') {
    throw new ReplayFileError(`${file} is not a dhis2-harness counterexample: save one with \`dhis2-harness verify … --save FILE\`.`);
  }
  return { ...data, constraints: resolveConstraints(data.constraints), phase: data.phase ?? 'scheduled' } as ReplayFile;
}

/** Re-runs the saved story with the saved interleaving and checks it afresh. */
export async function replayCounterexample(
  implementation: Implementation | BatchImplementation | ImplementationSource,
  file: ReplayFile,
  options: { opTimeoutMs?: number; remote?: RemoteOptions } = {},
): Promise<VerifyReport> {
  const started = Date.now();
  const scheduler = file.phase === 'scheduled' ? fc.schedulerFor(file.ordering) : undefined;
  const source = toSource(implementation, file.target?.batch);
  const { result, findings } = await evaluate(source, file.workload, { mode: file.phase, scheduler, seed: file.emulatorSeed, opTimeoutMs: options.opTimeoutMs, remote: options.remote });
  const durationMs = Date.now() - started;
  const coverage = emptyCoverage();
  recordCoverage(coverage, file.workload, result.history, source.kind === 'batch');
  const base = { seed: file.seed, path: file.path, runs: 1, durationMs, runsPerSecond: 1000 / Math.max(durationMs, 1), interrupted: false, constraints: file.constraints, notApplicable: [], coverage, unhandled: result.unhandled };
  if (findings.length === 0) return { ...base, ok: true, verdict: 'PASS' };
  const counterexample = counterexampleOf(file.phase, file.workload, result, findings, file.ordering, file.emulatorSeed);
  return { ...base, ok: false, counterexample, replayCommand: file.replayCommand, verdict: counterexample.findings[0].code };
}
