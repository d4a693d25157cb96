/**
 * verifyUpsert (interfaces.md "Harness"): generate workloads, run each against a fresh emulator,
 * check the history, shrink the first failure and minimise it to the shortest story. Scheduled
 * runs come first (deterministic: the fast-check scheduler alone decides the interleaving, so
 * seed + path replay exactly); a bounded number of runs with real concurrency follows.
 */
import fc from 'fast-check';
import { checkHistory } from './checker/index.js';
import { bySeverity, severityOf, type Finding } from './findings.js';
import type { History } from './history.js';
import { fifoScheduler, type TaskScheduler } from './fifo-scheduler.js';
import { minimizeStory } from './minimize.js';
import { runWorkload, type RunResult } from './runner.js';
import type { FaultRule, Implementation, RunMode, Workload } from './types.js';
import { describeWorkload, resolveConstraints, workloadArb, type WorkloadConstraints } from './workload.js';

export interface VerifyOptions {
  /** fast-check seed; random (and reported) when absent */
  seed?: number;
  /** replay one counterexample: the path printed with a failure (needs the same seed and constraints) */
  path?: string;
  /** which phase `path` belongs to (default 'scheduled') */
  phase?: RunMode;
  /** scheduled runs (default 100) */
  numRuns?: number;
  /** real-concurrency runs after the scheduled ones pass (default 10; 0 disables) */
  concurrentRuns?: number;
  /** stop generating new runs after this long, shrinking included (default 120 s) */
  timeLimitMs?: number;
  /** per-operation limit; the operation then counts as 'unknown' (default 20 s) */
  opTimeoutMs?: number;
  /** interleavings tried per smaller story while minimising (default 6) */
  interleavingsPerStory?: number;
  /** after fast-check's shrinking, minimise the story (drop operations, merge rounds); default true */
  minimize?: boolean;
  workload?: WorkloadConstraints;
  /**
   * Run against a dhis2-harness emulator already listening here (reset and configured through
   * its admin API) instead of a fresh in-process one. Its commit window cannot be scheduled, so
   * scheduled runs close it; real-concurrency runs keep its seeded delay.
   */
  url?: string;
  adminToken?: string;
  /** credentials passed to the implementation (default admin / district) */
  username?: string;
  password?: string;
  /** builds the command that replays a failure (the CLI passes its own); default: a code snippet */
  replayCommand?: (replay: { seed: number; path: string; phase: RunMode }) => string;
  /** called after every run */
  onRun?: (info: { phase: RunMode; run: number; ok: boolean; durationMs: number }) => void;
}

export interface Counterexample {
  phase: RunMode;
  workload: Workload;
  description: string;
  /** most severe first */
  findings: Finding[];
  history: History;
  /** labels of the released tasks, in order */
  interleaving: string[];
  /** scheduler task ids in release order: `fc.schedulerFor(ordering)` replays the interleaving */
  ordering: number[];
  faults: FaultRule[];
  emulatorSeed: number;
  /** >0: the run had to proceed without quiescence, so it may not replay exactly */
  stalls: number;
}

export interface VerifyReport {
  ok: boolean;
  seed: number;
  /** fast-check path of the shrunk counterexample (before story minimisation, which is deterministic) */
  path?: string;
  runs: number;
  durationMs: number;
  runsPerSecond: number;
  /** the time limit cut the search (or the shrinking) short */
  interrupted: boolean;
  constraints: Required<WorkloadConstraints>;
  counterexample?: Counterexample;
  replayCommand?: string;
  /** the most severe finding's code, for one-line verdicts */
  verdict: 'PASS' | Finding['code'];
}

export const DEFAULT_VERIFY = { numRuns: 100, concurrentRuns: 10, timeLimitMs: 120_000, opTimeoutMs: 20_000, interleavingsPerStory: 6 } as const;

export function emulatorSeedOf(seed: number): number {
  return (Math.abs(Math.trunc(seed)) % 2_147_483_646) + 1;
}

export function orderingOf(s: TaskScheduler): number[] {
  return s.report().filter((t) => t.status !== 'pending').map((t) => t.taskId);
}

/**
 * Interleavings for one story: lockstep first (it opens every race window at once), then
 * fast-check schedulers seeded from (seed, workload), so the same story always gets the same ones.
 */
export function derivedSchedulers(seed: number, w: Workload, n: number): TaskScheduler[] {
  if (n <= 0) return [];
  const text = JSON.stringify(w);
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return [fifoScheduler(), ...(n > 1 ? fc.sample(fc.scheduler(), { seed: h, numRuns: n - 1 }) : [])];
}

export function counterexampleOf(phase: RunMode, w: Workload, result: RunResult, findings: Finding[], ordering: number[], emulatorSeed: number): Counterexample {
  return {
    phase,
    workload: w,
    description: describeWorkload(w),
    findings: bySeverity(findings),
    history: result.history,
    interleaving: result.history.interleaving,
    ordering,
    faults: w.faults,
    emulatorSeed,
    stalls: result.stalls,
  };
}

/** Hammer `implementation` with generated workloads; resolve to a report (it never throws for a finding). */
export async function verifyUpsert(implementation: Implementation, options: VerifyOptions = {}): Promise<VerifyReport> {
  if (typeof implementation !== 'function') throw new TypeError('verifyUpsert: implementation must be a function (record, ctx) => Promise');
  const started = Date.now();
  const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const constraints = resolveConstraints(options.workload);
  const emulatorSeed = emulatorSeedOf(seed);
  const opTimeoutMs = options.opTimeoutMs ?? DEFAULT_VERIFY.opTimeoutMs;
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_VERIFY.timeLimitMs;
  const deadline = started + timeLimitMs;
  const perStory = Math.max(1, options.interleavingsPerStory ?? DEFAULT_VERIFY.interleavingsPerStory);
  const remote = options.url
    ? { url: options.url, adminToken: options.adminToken, username: options.username ?? 'admin', password: options.password ?? 'district' }
    : undefined;
  let runs = 0;
  let failure: Counterexample | undefined;

  const execute = async (phase: RunMode, w: Workload, scheduler?: TaskScheduler) => {
    const result = await runWorkload(implementation, w, { mode: phase, scheduler, seed: emulatorSeed, opTimeoutMs, remote });
    const findings = checkHistory(result.history);
    runs++;
    options.onRun?.({ phase, run: runs, ok: findings.length === 0, durationMs: result.durationMs });
    return findings.length === 0 ? undefined : counterexampleOf(phase, w, result, findings, scheduler ? orderingOf(scheduler) : [], emulatorSeed);
  };

  /** The most severe failure among a story's derived interleavings, stopping early at a duplicate. */
  const worstOf = async (w: Workload): Promise<Counterexample | undefined> => {
    let worst: Counterexample | undefined;
    // without a concurrent round every scheduler yields the same (sequential) interleaving
    const n = w.rounds.some((r) => r.length > 1) ? perStory : 1;
    for (const scheduler of derivedSchedulers(seed, w, n)) {
      if (Date.now() > deadline) break;
      const c = await execute('scheduled', w, scheduler);
      if (c && (!worst || severityOf(c.findings) < severityOf(worst.findings))) worst = c;
      if (worst && severityOf(worst.findings) === 0) break;
    }
    return worst;
  };

  const phases: { phase: RunMode; numRuns: number }[] = [];
  if (options.path === undefined || (options.phase ?? 'scheduled') === 'scheduled') phases.push({ phase: 'scheduled', numRuns: options.numRuns ?? DEFAULT_VERIFY.numRuns });
  if (options.path === undefined || options.phase === 'concurrent') phases.push({ phase: 'concurrent', numRuns: options.concurrentRuns ?? DEFAULT_VERIFY.concurrentRuns });

  let interrupted = false;
  for (const { phase, numRuns } of phases) {
    if (numRuns <= 0) continue;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      interrupted = true;
      break;
    }
    // fast-check reports the last failing run as the shrunk counterexample: keep the latest
    const check = async (w: Workload, s?: fc.Scheduler) => {
      const c = await execute(phase, w, s);
      if (c) failure = c;
      return c === undefined;
    };
    const schedulerArb: fc.Arbitrary<fc.Scheduler | undefined> = phase === 'scheduled' ? fc.scheduler() : fc.constant(undefined);
    const property = fc.asyncProperty(workloadArb(constraints), schedulerArb, (w, s) => check(w, s));
    const details = await fc.check(property, {
      seed,
      numRuns,
      ...(options.path !== undefined ? { path: options.path, endOnFailure: true } : {}),
      interruptAfterTimeLimit: remaining,
      markInterruptAsFailure: false,
    });
    interrupted ||= details.interrupted;
    if (!details.failed) {
      failure = undefined;
      continue;
    }
    if (!failure) throw details.errorInstance ?? new Error('verifyUpsert: the property failed without a recorded run');
    if (phase === 'scheduled' && options.minimize !== false) {
      // a smaller story counts if some interleaving of it fails at least as badly
      const upgrade = await worstOf(failure.workload);
      if (upgrade && severityOf(upgrade.findings) < severityOf(failure.findings)) failure = upgrade;
      const target = severityOf(failure.findings);
      await minimizeStory(
        failure.workload,
        async (candidate) => {
          const c = await worstOf(candidate);
          if (!c || severityOf(c.findings) > target) return false;
          failure = c;
          return true;
        },
        { maxConcurrency: constraints.maxConcurrency, partialRecords: constraints.partialRecords },
      );
      interrupted ||= Date.now() > deadline;
    }
    const durationMs = Date.now() - started;
    const path = details.counterexamplePath ?? undefined;
    return {
      ok: false,
      seed,
      path,
      runs,
      durationMs,
      runsPerSecond: runs / Math.max(durationMs / 1000, 0.001),
      interrupted,
      constraints,
      counterexample: failure,
      replayCommand: path !== undefined ? (options.replayCommand ?? defaultReplay)({ seed, path, phase }) : undefined,
      verdict: failure.findings[0].code,
    };
  }
  const durationMs = Date.now() - started;
  return { ok: true, seed, runs, durationMs, runsPerSecond: runs / Math.max(durationMs / 1000, 0.001), interrupted, constraints, verdict: 'PASS' };
}

function defaultReplay(r: { seed: number; path: string; phase: RunMode }): string {
  return `verifyUpsert(implementation, { seed: ${r.seed}, path: '${r.path}'${r.phase === 'concurrent' ? ", phase: 'concurrent'" : ''}, workload: <the same constraints> })`;
}
