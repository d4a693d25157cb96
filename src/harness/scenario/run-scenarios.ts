/**
 * `dhis2-harness run`: every (scenario, implementation) pair on a fresh emulator, one after
 * another (runs share the process's cached HTTP clients), judged and collected into a report.
 */
import path from 'node:path';
import { checkHistory } from '../checker/index.js';
import { countVerdicts, PASSING_VERDICTS, type RunReport, type ScenarioResult } from '../report/model.js';
import { closeImplementation, type ExecOptions } from '../exec-adapter.js';
import { describeError } from '../history.js';
import { markEmulatorGaps, opsFailedOnUnhandled } from '../unhandled.js';
import { notApplicableReason } from './applicability.js';
import { executeScenario } from './execute.js';
import { checkExpectations } from './expectations.js';
import { resolveImplementation } from './implementation.js';
import { describeIssue, expandScenarioPaths, loadScenarioFile, ScenarioFileError, type LoadedScenario } from './load.js';
import { buildCatalog } from './catalog.js';
import { resolveScenario } from './resolve.js';
import type { Scenario } from './schema.js';
import { judge } from './verdict.js';

export interface RunScenariosOptions {
  /**
   * Implementations to run instead of each scenario's list (any spec; `module:`/`exec:` resolved
   * against the current directory). A scenario that lists the same spec keeps its expectFailure.
   */
  implementations?: string[];
  /** called before each run */
  onStart?: (info: { file: string; implementation: string; index: number; total: number }) => void;
  onResult?: (result: ScenarioResult, index: number, total: number) => void;
  /** the command prefix in replay lines (default `npx dhis2-harness`) */
  command?: string;
  /** the tool version written into reports */
  version?: string;
  /** how `exec:` implementations run (default: a process per operation) */
  exec?: Pick<ExecOptions, 'mode' | 'poolSize'>;
}

interface Job {
  loaded?: LoadedScenario;
  file: string;
  spec: string;
  expectFailure?: { findings: string[]; because?: string };
  /** where module:/exec: specs resolve */
  baseDir: string;
  loadError?: ScenarioFileError;
}

export function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function jobsOf(loaded: LoadedScenario, override: string[] | undefined): Job[] {
  const entries = loaded.scenario.implementations.map((e) => (typeof e === 'string' ? { use: e } : e));
  const dir = path.dirname(path.resolve(loaded.file));
  const base = { loaded, file: loaded.file };
  if (!override) {
    return entries.map((e) => ({
      ...base,
      spec: e.use,
      baseDir: dir,
      ...(e.expectFailure ? { expectFailure: { findings: [e.expectFailure.finding].flat(), ...(e.expectFailure.because ? { because: e.expectFailure.because } : {}) } } : {}),
    }));
  }
  return override.map((spec) => {
    const listed = entries.find((e) => e.use === spec);
    return {
      ...base,
      spec,
      baseDir: listed ? dir : process.cwd(),
      ...(listed?.expectFailure ? { expectFailure: { findings: [listed.expectFailure.finding].flat(), ...(listed.expectFailure.because ? { because: listed.expectFailure.because } : {}) } } : {}),
    };
  });
}

function header(job: Job): Pick<ScenarioResult, 'file' | 'scenario' | 'title' | 'description' | 'seenIn' | 'dhis2Version' | 'uniqueness' | 'seed' | 'implementation' | 'expectedFailure'> {
  const s: Scenario | undefined = job.loaded?.scenario;
  return {
    file: job.file,
    scenario: job.loaded?.name ?? path.basename(job.file).replace(/\.json$/i, ''),
    title: s?.title ?? 'invalid scenario file',
    ...(s ? { description: s.description, seenIn: s.seenIn, dhis2Version: s.dhis2Version, uniqueness: s.uniqueness, seed: s.seed } : {}),
    implementation: job.spec,
    ...(job.expectFailure ? { expectedFailure: job.expectFailure } : {}),
  };
}

export async function runJob(job: Job, command: string, exec: RunScenariosOptions['exec'] = {}): Promise<ScenarioResult> {
  const persistent = exec.mode === 'persistent' && job.spec.startsWith('exec:') ? ' --exec-mode persistent' : '';
  const replay = `${command} run ${shellQuote(job.file)}${job.spec !== '-' ? ` --implementation ${shellQuote(job.spec)}` : ''}${persistent} --html ${shellQuote(`${header(job).scenario}.html`)}`;
  const started = Date.now();
  const base = { ...header(job), replay, operations: 0, requests: 0, findings: [], ignored: [] };
  if (!job.loaded) {
    const e = job.loadError!;
    return { ...base, verdict: 'ERROR', ok: false, summary: e.issues.map(describeIssue).join('; '), error: describeError(e), durationMs: 0 };
  }
  const s = job.loaded.scenario;
  try {
    const catalog = buildCatalog(s);
    const resolved = resolveScenario(s, catalog, job.loaded.name);
    const implementation = await resolveImplementation(job.spec, job.baseDir, s.timeoutMs, exec);
    let run: Awaited<ReturnType<typeof executeScenario>>;
    try {
      run = await executeScenario(s, resolved, implementation);
    } finally {
      await closeImplementation(implementation);
    }
    const findings = [...run.histories.flatMap((h) => checkHistory(h)), ...checkExpectations(s, run, resolved)];
    markEmulatorGaps(findings, opsFailedOnUnhandled(run.ops, run.unhandled));
    const j = judge(s, findings, job.expectFailure?.findings);
    const notApplicable = notApplicableReason(s, run, j.failing);
    const verdict = notApplicable ? 'N/A' : j.verdict;
    const main = run.ops.filter((o) => o.phase === 'main');
    return {
      ...base,
      verdict,
      ok: PASSING_VERDICTS.includes(verdict),
      summary: notApplicable ?? j.summary,
      findings: j.failing,
      ignored: j.ignored,
      operations: main.length,
      requests: main.reduce((n, o) => n + o.requests.length, 0),
      durationMs: Date.now() - started,
      ...(run.unhandled.length > 0 ? { unhandled: run.unhandled } : {}),
      run,
    };
  } catch (err) {
    const e = describeError(err);
    return { ...base, verdict: 'ERROR', ok: false, summary: `${e.code ?? e.name}: ${e.message}`, error: e, durationMs: Date.now() - started };
  }
}

export async function runScenarios(inputs: string[], options: RunScenariosOptions = {}): Promise<RunReport> {
  const startedAt = new Date();
  const jobs: Job[] = [];
  for (const file of await expandScenarioPaths(inputs)) {
    try {
      jobs.push(...jobsOf(await loadScenarioFile(file), options.implementations));
    } catch (e) {
      if (!(e instanceof ScenarioFileError)) throw e;
      jobs.push({ file, spec: '-', baseDir: process.cwd(), loadError: e });
    }
  }
  const results: ScenarioResult[] = [];
  for (const [index, job] of jobs.entries()) {
    options.onStart?.({ file: job.file, implementation: job.spec, index, total: jobs.length });
    const result = await runJob(job, options.command ?? 'npx dhis2-harness', options.exec);
    results.push(result);
    options.onResult?.(result, index, jobs.length);
  }
  const counts = countVerdicts(results);
  return {
    tool: 'dhis2-harness',
    version: options.version ?? '0.0.0',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    ok: results.length > 0 && results.every((r) => r.ok),
    counts,
    results,
  };
}
