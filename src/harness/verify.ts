/**
 * verifyUpsert (interfaces.md "Harness"): generate workloads, run each against a fresh emulator,
 * check the history, shrink the first failure and minimise it to the shortest story. Scheduled
 * runs come first (deterministic: the fast-check scheduler alone decides the interleaving, so
 * seed + path replay exactly); runs with real concurrency follow. Without a run target the search
 * uses the time budget, keeping a share of it for shrinking a failure.
 */
import fc from 'fast-check';
import { emptyCoverage, recordCoverage, type Coverage } from './coverage.js';
import { evaluate } from './evaluate.js';
import { bySeverity, GRAVE_SEVERITY, severityOf, type Finding } from './findings.js';
import type { History } from './history.js';
import { fifoScheduler, type TaskScheduler } from './fifo-scheduler.js';
import { minimizeStory } from './minimize.js';
import { probeVersions, type NotApplicable } from './probe.js';
import { reusableEnvironment, type RunResult } from './runner.js';
import { toSource } from './source.js';
import type { BatchImplementation, FaultRule, Implementation, ImplementationSource, RunMode, Workload } from './types.js';
import { mergeUnhandled, type UnhandledRequest } from './unhandled.js';
import { describeWorkload, resolveConstraints, workloadArb, type WorkloadConstraints } from './workload.js';

export interface VerifyOptions {
  /** fast-check seed; random (and reported) when absent */
  seed?: number;
  /** replay one counterexample: the path printed with a failure (needs the same seed and constraints) */
  path?: string;
  /** which phase `path` belongs to (default 'scheduled') */
  phase?: RunMode;
  /** scheduled runs; absent: as many as the time budget allows */
  numRuns?: number;
  /** real-concurrency runs after the scheduled ones pass (default 10 with numRuns, else the rest of the budget; 0 disables) */
  concurrentRuns?: number;
  /** the whole budget, shrinking included (default 120 s) */
  timeLimitMs?: number;
  /** per-operation limit; the operation then counts as 'unknown' (default 20 s) */
  opTimeoutMs?: number;
  /** interleavings tried per smaller story while minimising (default 6) */
  interleavingsPerStory?: number;
  /** after fast-check's shrinking, minimise the story (drop operations, merge rounds); default true */
  minimize?: boolean;
  /** candidates fast-check's shrinking may run before the story minimiser takes over (default 8; without minimising: unbounded) */
  shrinkRuns?: number;
  workload?: WorkloadConstraints;
  /** the implementation is a batch upsert `(records, ctx) => results` (for a plain function) */
  batch?: boolean;
  /**
   * Try one upsert on each DHIS2 version first and leave out those where the implementation's API
   * does not exist (tracker on 2.35, legacy on 2.42), reported as not applicable. Default: only
   * when `workload.dhis2Versions` is not given (a version the user names is always run).
   */
  probeVersions?: boolean;
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
  replayCommand?: (replay: { seed: number; path: string; phase: RunMode; versions: string[] }) => string;
  /** called after every run */
  onRun?: (info: { phase: RunMode | 'probe' | 'shrink'; run: number; ok: boolean; durationMs: number; elapsedMs: number }) => void;
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
  /** where the time limit struck: 'search' (fewer runs than asked), 'shrink' (the story may not be minimal) */
  cutShort?: 'search' | 'shrink';
  constraints: Required<WorkloadConstraints>;
  /** versions left out because the implementation's API does not exist there */
  notApplicable: NotApplicable[];
  /** what the runs covered */
  coverage: Coverage;
  /** requests the emulator had no handler for, over all runs: the verdict may not reflect DHIS2 */
  unhandled: UnhandledRequest[];
  counterexample?: Counterexample;
  replayCommand?: string;
  /** the most severe finding's code, for one-line verdicts */
  verdict: 'PASS' | Finding['code'];
}

export const DEFAULT_VERIFY = { concurrentRuns: 10, timeLimitMs: 120_000, opTimeoutMs: 20_000, interleavingsPerStory: 6, shrinkRuns: 8 } as const;
/** Without a run target: the scheduled search ends here (share of the budget), real concurrency by the next mark; the rest is for shrinking. */
const SEARCH_SHARE = 0.7;
/** Runs the search goes on after a lesser finding (at least; as many as it took to find it, if more). */
const EXTRA_RUNS_AFTER_LESSER = 10;
const CONCURRENT_SHARE = 0.95;

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

/** True when some round has two lanes (two job runs, or a job run and the other system). */
function concurrent(w: Workload): boolean {
  return w.rounds.some((r) => new Set(r.map((o) => (o.other ? -1 : (o.client ?? 0)))).size > 1);
}

/**
 * Hammer `implementation` with generated workloads; resolve to a report (it never throws for a finding).
 * Overloads, so that an inline `async (record, ctx) => …` gets its parameter types (a union of
 * function types gives none): a single upsert, a batch upsert with `batch: true`, or a source.
 */
export function verifyUpsert(implementation: Implementation, options?: VerifyOptions & { batch?: false }): Promise<VerifyReport>;
export function verifyUpsert(implementation: BatchImplementation, options: VerifyOptions & { batch: true }): Promise<VerifyReport>;
export function verifyUpsert(implementation: Implementation | BatchImplementation | ImplementationSource, options?: VerifyOptions): Promise<VerifyReport>;
export async function verifyUpsert(implementation: Implementation | BatchImplementation | ImplementationSource, options: VerifyOptions = {}): Promise<VerifyReport> {
  const source = toSource(implementation, options.batch);
  try {
    return await search(source, options);
  } finally {
    await source.close?.();
  }
}

async function search(source: ImplementationSource, options: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const pinned = (options.workload?.dhis2Versions?.length ?? 0) > 0;
  let constraints = resolveConstraints(options.workload);
  const emulatorSeed = emulatorSeedOf(seed);
  const opTimeoutMs = options.opTimeoutMs ?? DEFAULT_VERIFY.opTimeoutMs;
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_VERIFY.timeLimitMs;
  const deadline = started + timeLimitMs;
  const timeBound = options.numRuns === undefined && options.path === undefined;
  const perStory = Math.max(1, options.interleavingsPerStory ?? DEFAULT_VERIFY.interleavingsPerStory);
  const remote = options.url
    ? { url: options.url, adminToken: options.adminToken, username: options.username ?? 'admin', password: options.password ?? 'district' }
    : undefined;
  const coverage = emptyCoverage();
  let unhandled: UnhandledRequest[] = [];
  // one emulator and one gateway for every run, each reset before the run
  const reuse = remote ? undefined : reusableEnvironment(emulatorSeed);
  try {
    let runs = 0;
    let failure: Counterexample | undefined;
    // fast-check stops waiting for a run when the time limit strikes; the run goes on and must end
    // before the next phase starts (it shares the process)
    let inFlight: Promise<unknown> = Promise.resolve();

    const execute = async (phase: RunMode | 'shrink', w: Workload, scheduler?: TaskScheduler): Promise<Counterexample | undefined> => {
      const mode: RunMode = phase === 'shrink' ? 'scheduled' : phase;
      const running = evaluate(source, w, { mode, scheduler, seed: emulatorSeed, opTimeoutMs, remote, reuse });
      inFlight = running.catch(() => undefined);
      const { result, findings } = await running;
      runs++;
      if (result.unhandled.length > 0) unhandled = mergeUnhandled([unhandled, result.unhandled]);
      if (phase !== 'shrink') recordCoverage(coverage, w, result.history, source.kind === 'batch');
      options.onRun?.({ phase, run: runs, ok: findings.length === 0, durationMs: result.durationMs, elapsedMs: Date.now() - started });
      return findings.length === 0 ? undefined : counterexampleOf(mode, w, result, findings, scheduler ? orderingOf(scheduler) : [], emulatorSeed);
    };

    /** The most severe failure among a story's derived interleavings, stopping early at the worst class. */
    const worstOf = async (w: Workload): Promise<Counterexample | undefined> => {
      let worst: Counterexample | undefined;
      // without two lanes in one round every scheduler yields the same (sequential) interleaving
      const n = concurrent(w) ? perStory : 1;
      for (const scheduler of derivedSchedulers(seed, w, n)) {
        if (Date.now() > deadline) break;
        const c = await execute('shrink', w, scheduler);
        if (c && (!worst || severityOf(c.findings) < severityOf(worst.findings))) worst = c;
        if (worst && severityOf(worst.findings) === 0) break;
      }
      return worst;
    };

    let notApplicable: NotApplicable[] = [];
    if (options.probeVersions ?? (!pinned && options.path === undefined)) {
      const probed = await probeVersions(source, constraints.dhis2Versions, { seed: emulatorSeed, opTimeoutMs, remote, reuse, onRun: () => runs++ });
      notApplicable = probed.notApplicable;
      if (probed.applicable.length === 0) {
        throw new VersionsNotApplicableError(
          `The implementation works on none of the DHIS2 versions tried: ${notApplicable.map((n) => `${n.version}: ${n.reason}`).join('; ')}. Pass --versions with the releases it targets.`,
        );
      }
      constraints = { ...constraints, dhis2Versions: probed.applicable };
    }

    const base = () => ({ seed, runs, durationMs: Date.now() - started, runsPerSecond: runs / Math.max((Date.now() - started) / 1000, 0.001), constraints, notApplicable, coverage, unhandled });

    const phases: { phase: RunMode; numRuns: number; until: number }[] = [];
    if (options.path === undefined || (options.phase ?? 'scheduled') === 'scheduled') {
      phases.push({ phase: 'scheduled', numRuns: options.numRuns ?? Number.MAX_SAFE_INTEGER, until: timeBound ? started + timeLimitMs * SEARCH_SHARE : deadline });
    }
    if (options.path === undefined || options.phase === 'concurrent') {
      const n = options.concurrentRuns ?? (timeBound ? Number.MAX_SAFE_INTEGER : DEFAULT_VERIFY.concurrentRuns);
      phases.push({ phase: 'concurrent', numRuns: n, until: timeBound ? started + timeLimitMs * CONCURRENT_SHARE : deadline });
    }

    let interrupted = false;
    let cutShort: VerifyReport['cutShort'];
    for (const { phase, numRuns, until } of phases) {
      if (numRuns <= 0) continue;
      const remaining = until - Date.now();
      if (remaining <= 0) {
        interrupted ||= !timeBound;
        if (!timeBound) cutShort = 'search';
        break;
      }
      // fast-check's shrinking runs at most this many candidates (then every further candidate
      // counts as passing without a run, which ends it); the story minimiser, which knows what
      // makes a story smaller, takes it from there at a fraction of the runs
      let shrinkRunsLeft = Number.POSITIVE_INFINITY;
      // while shrinking, a candidate counts as failing only if it fails at least as badly
      let shrinkTarget = Number.POSITIVE_INFINITY;
      // A lesser finding (a failed repeat, a lost attribute) found first is held while the search
      // looks a little further for a graver one (a duplicate or merged patient) of the same bug;
      // then the search stops and the most severe run is the one shrunk (its path is its run index).
      let searching = phase === 'scheduled';
      let runIndex = 0;
      let held: { c: Counterexample; index: number } | undefined;
      let extraRuns = 0;
      const STOP = new Error('verifyUpsert: the search looked far enough past a lesser finding');
      // fast-check reports the last failing run: keep the latest
      const check = async (w: Workload, s?: fc.Scheduler) => {
        if (shrinkRunsLeft-- <= 0) return true;
        const index = runIndex++;
        const c = await execute(phase, w, s);
        if (searching && (!c || severityOf(c.findings) > GRAVE_SEVERITY)) {
          if (c && (!held || severityOf(c.findings) < severityOf(held.c.findings))) {
            if (!held) extraRuns = Math.max(EXTRA_RUNS_AFTER_LESSER, index);
            held = { c, index };
          }
          if (held && extraRuns-- <= 0) throw STOP;
          return true;
        }
        if (c && severityOf(c.findings) > shrinkTarget) return true;
        if (c) failure = c;
        return c === undefined;
      };
      const schedulerArb: fc.Arbitrary<fc.Scheduler | undefined> = phase === 'scheduled' ? fc.scheduler() : fc.constant(undefined);
      const property = fc.asyncProperty(workloadArb(constraints), schedulerArb, (w, s) => check(w, s));
      // search without shrinking, within the phase's share of the budget …
      const found = await fc.check(property, {
        seed,
        numRuns,
        ...(options.path !== undefined ? { path: options.path } : {}),
        endOnFailure: true,
        interruptAfterTimeLimit: remaining,
        markInterruptAsFailure: false,
      });
      await inFlight;
      searching = false;
      if (held && (found.errorInstance === STOP || !found.failed)) {
        failure = held.c;
        found.failed = true;
        found.counterexamplePath = options.path ?? String(held.index);
      }
      if (!found.failed) {
        failure = undefined;
        if (found.interrupted && !timeBound) {
          interrupted = true;
          cutShort = 'search';
        }
        continue;
      }
      if (!failure) throw found.errorInstance ?? new Error('verifyUpsert: the property failed without a recorded run');
      // … then shrink from the failing path with what is left of the whole budget
      let path = found.counterexamplePath ?? undefined;
      const firstFailure: Counterexample = failure;
      if (path !== undefined && deadline - Date.now() > 0) {
        // the minimiser below shrinks scheduled stories; a concurrent run's story has only fast-check
        shrinkTarget = severityOf(failure.findings);
        shrinkRunsLeft = phase === 'scheduled' && options.minimize !== false ? (options.shrinkRuns ?? DEFAULT_VERIFY.shrinkRuns) : Number.POSITIVE_INFINITY;
        const shrunk = await fc.check(property, { seed, path, numRuns: 1, interruptAfterTimeLimit: deadline - Date.now(), markInterruptAsFailure: false });
        await inFlight;
        if (shrunk.failed) path = shrunk.counterexamplePath ?? path;
        else failure = firstFailure; // real timing did not reproduce it: keep the run that failed
        if (shrunk.interrupted) (interrupted = true), (cutShort = 'shrink');
      }
      if (phase === 'scheduled' && options.minimize !== false && Date.now() < deadline) {
        // a smaller story counts if some interleaving of it fails at least as badly
        const upgrade = await worstOf(failure!.workload);
        if (upgrade && severityOf(upgrade.findings) < severityOf(failure!.findings)) failure = upgrade;
        const target = severityOf(failure!.findings);
        await minimizeStory(
          failure!.workload,
          async (candidate) => {
            if (Date.now() > deadline) return false;
            const c = await worstOf(candidate);
            if (!c || severityOf(c.findings) > target) return false;
            failure = c;
            return true;
          },
          { maxConcurrency: constraints.maxConcurrency, partialRecords: constraints.partialRecords },
        );
        if (Date.now() > deadline) (interrupted = true), (cutShort = 'shrink');
      }
      const c = failure!;
      return {
        ...base(),
        ok: false,
        path,
        interrupted,
        ...(cutShort ? { cutShort } : {}),
        counterexample: c,
        replayCommand: path !== undefined ? (options.replayCommand ?? defaultReplay)({ seed, path, phase, versions: constraints.dhis2Versions }) : undefined,
        verdict: c.findings[0].code,
      };
    }
    return { ...base(), ok: true, interrupted, ...(cutShort ? { cutShort } : {}), verdict: 'PASS' };
  } finally {
    await reuse?.close();
  }
}

export class VersionsNotApplicableError extends Error {
  readonly code = 'VERSIONS_NOT_APPLICABLE';
}

function defaultReplay(r: { seed: number; path: string; phase: RunMode; versions: string[] }): string {
  return `verifyUpsert(implementation, { seed: ${r.seed}, path: '${r.path}'${r.phase === 'concurrent' ? ", phase: 'concurrent'" : ''}, workload: { <the same constraints>, dhis2Versions: ${JSON.stringify(r.versions)} } })`;
}
