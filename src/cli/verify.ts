import { resolve } from 'node:path';
import type { Command } from 'commander';
import { closeImplementation, execImplementation } from '../harness/exec-adapter.js';
import { loadImplementationSource } from '../harness/module-loader.js';
import { loadReplay, replayCounterexample, saveReplay, toReplayFile, type ReplayTarget } from '../harness/replay.js';
import { formatReport } from '../harness/report.js';
import { toSource } from '../harness/source.js';
import { FAULT_KINDS, KEY_KINDS, type FaultKind, type Implementation, type ImplementationSource, type KeyKind, type RunMode } from '../harness/types.js';
import { verifyUpsert, type VerifyReport } from '../harness/verify.js';
import type { WorkloadConstraints } from '../harness/workload.js';
import { BATCH_IMPLEMENTATIONS, implementations } from '../upsert/implementations.js';
import { checkExecCommand } from './implementation-flag.js';
import { CliUsageError, parseExecFlags, parseIntOption } from './options.js';
import { Progress } from './progress.js';
import { EXIT } from './usage.js';

const DEFAULT_SAVE = 'dhis2-harness-counterexample.json';

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

interface VerifyCliOptions {
  module?: string;
  exec?: string;
  execMode?: string;
  execPool?: string;
  implementation?: string;
  replay?: string;
  seed?: string;
  path?: string;
  phase?: string;
  runs?: string;
  concurrentRuns?: string;
  batch?: boolean;
  maxClients?: string;
  faultKinds?: string;
  keyVariants: boolean;
  otherWriters: boolean;
  timeLimit?: string;
  opTimeout: string;
  versions?: string;
  uniqueness?: string;
  keyKinds?: string;
  maxOps?: string;
  maxKeys?: string;
  maxRounds?: string;
  maxConcurrency?: string;
  faults: boolean;
  fullRecords?: boolean;
  withEvents?: boolean;
  preexisting: boolean;
  json?: boolean;
  save: string | false;
  quiet?: boolean;
  url?: string;
  adminToken?: string;
  username: string;
  password: string;
}

function constraintsOf(o: VerifyCliOptions): { constraints: WorkloadConstraints; flags: string[] } {
  const flags: string[] = [];
  const c: WorkloadConstraints = {};
  if (o.versions) (c.dhis2Versions = list(o.versions)), flags.push('--versions', o.versions);
  if (o.uniqueness) {
    const modes = list(o.uniqueness)!;
    for (const m of modes) if (!['racy', 'atomic', 'off'].includes(m)) throw new CliUsageError(`--uniqueness takes racy, atomic or off (comma-separated), not '${m}'.`);
    c.uniqueness = modes as WorkloadConstraints['uniqueness'];
    flags.push('--uniqueness', o.uniqueness);
  }
  if (o.keyKinds) {
    const kinds = list(o.keyKinds)!;
    for (const k of kinds) if (!(KEY_KINDS as readonly string[]).includes(k)) throw new CliUsageError(`--key-kinds takes ${KEY_KINDS.join(', ')} (comma-separated), not '${k}'.`);
    c.keyKinds = kinds as KeyKind[];
    flags.push('--key-kinds', o.keyKinds);
  }
  if (o.faultKinds) {
    const kinds = list(o.faultKinds)!;
    for (const k of kinds) if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new CliUsageError(`--fault-kinds takes ${FAULT_KINDS.join(', ')} (comma-separated), not '${k}'.`);
    c.faultKinds = kinds as FaultKind[];
    flags.push('--fault-kinds', o.faultKinds);
  }
  if (o.maxClients) (c.maxClients = parseIntOption(o.maxClients, '--max-clients')), flags.push('--max-clients', o.maxClients);
  if (!o.keyVariants) (c.keyVariants = false), flags.push('--no-key-variants');
  if (!o.otherWriters) (c.otherWriters = false), flags.push('--no-other-writers');
  if (o.maxKeys) (c.maxKeys = parseIntOption(o.maxKeys, '--max-keys')), flags.push('--max-keys', o.maxKeys);
  if (o.maxRounds) (c.maxRounds = parseIntOption(o.maxRounds, '--max-rounds')), flags.push('--max-rounds', o.maxRounds);
  if (o.maxOps) (c.maxOps = parseIntOption(o.maxOps, '--max-ops')), flags.push('--max-ops', o.maxOps);
  if (o.maxConcurrency) (c.maxConcurrency = parseIntOption(o.maxConcurrency, '--max-concurrency')), flags.push('--max-concurrency', o.maxConcurrency);
  if (!o.faults) (c.faults = false), flags.push('--no-faults');
  if (o.fullRecords) (c.partialRecords = false), flags.push('--full-records');
  if (o.withEvents) (c.events = true), flags.push('--with-events');
  if (o.url) flags.push('--url', o.url);
  if (!o.preexisting) (c.preexisting = false), flags.push('--no-preexisting');
  return { constraints: c, flags };
}

type ExecFlags = ReturnType<typeof parseExecFlags>;

async function implementationOf(target: ReplayTarget, opTimeoutMs: number, exec: ExecFlags): Promise<ImplementationSource> {
  if (target.implementation) {
    const name = target.implementation.replace(/^reference:/, '');
    const fn = (implementations as unknown as Record<string, Implementation>)[name];
    if (!fn) throw new CliUsageError(`No built-in implementation '${target.implementation}'; choose one of ${Object.keys(implementations).join(', ')}.`);
    return toSource(fn, BATCH_IMPLEMENTATIONS.has(name));
  }
  if (target.module) return loadImplementationSource(target.module, { batch: target.batch });
  if (target.batch) throw new CliUsageError('--batch takes a --module (a batch command is not supported yet).');
  checkExecCommand(target.exec!);
  const impl = execImplementation(target.exec!, { timeoutMs: opTimeoutMs, ...exec });
  let closed = false;
  // a persistent pool's processes end with the verification
  return { kind: 'single', instance: () => impl, close: async () => void (closed || ((closed = true), await closeImplementation(impl))) };
}

function targetArgs(target: ReplayTarget, exec: ExecFlags): string {
  if (target.implementation) return `--implementation ${target.implementation}`;
  if (target.module) return `--module ${shellQuote(target.module)}${target.batch ? ' --batch' : ''}`;
  return `--exec ${shellQuote(target.exec!)}${exec.mode === 'persistent' ? ' --exec-mode persistent' : ''}`;
}

export function registerVerify(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description('Hammer an upsert (a JS module or any command) with repeated, concurrent and faulty calls; report duplicates and other findings with a replayable counterexample. Exit code 0 when no finding, 1 on a finding, 2 on a usage error.')
    .option('--module <file>', 'a JavaScript module whose default export is async (record, ctx) => result')
    .option('--exec <command>', 'a command run per operation: record as JSON on stdin, DHIS2_BASE_URL/USERNAME/PASSWORD in env, exit 0 = success')
    .option('--exec-mode <mode>', 'per-operation (a process per operation) or persistent (long-lived processes, one NDJSON record per line; docs/exec.md)', 'per-operation')
    .option('--exec-pool <n>', 'persistent mode: at most this many processes (default 8, or --max-concurrency when larger)')
    .option('--implementation <name>', `a built-in upsert: ${Object.keys(implementations).join(', ')}`)
    .option('--replay <file>', 're-run a saved counterexample exactly')
    .option('--seed <n>', 'fast-check seed (default: $DHIS2_HARNESS_SEED, else random; printed)')
    .option('--path <p>', 'replay the counterexample at this fast-check path (with the same --seed and constraints)')
    .option('--phase <phase>', 'the phase --path belongs to: scheduled | concurrent', 'scheduled')
    .option('--batch', 'the module is a batch upsert: default export async (records, ctx) => results (one per record)')
    .option('--runs <n>', 'scheduled (deterministic interleaving) runs; default: as many as the time limit allows')
    .option('--concurrent-runs <n>', 'real-concurrency runs after the scheduled ones pass (default 10 with --runs, else the rest of the budget)')
    .option('--time-limit <seconds>', 'overall time budget, shrinking included (default: $DHIS2_HARNESS_TIME_LIMIT, else 120)')
    .option('--op-timeout <ms>', 'per-operation time limit (the operation then counts as unknown)', '20000')
    .option('--versions <list>', 'DHIS2 versions to draw from, e.g. 2.35,2.40,2.41')
    .option('--uniqueness <list>', 'emulator uniqueness modes: racy,atomic,off')
    .option('--key-kinds <list>', `key attribute kinds: ${KEY_KINDS.join(',')}`)
    .option('--fault-kinds <list>', `fault kinds to inject: ${FAULT_KINDS.join(',')}`)
    .option('--max-clients <n>', 'simulated job runs per workload (each its own client; default 3)')
    .option('--no-key-variants', 'keys always in one spelling (no case or padding variants)')
    .option('--no-other-writers', 'no writes by another system during the run')
    .option('--max-keys <n>', 'distinct keys per workload')
    .option('--max-rounds <n>', 'rounds per workload (operations in one round run concurrently)')
    .option('--max-ops <n>', 'operations per workload')
    .option('--max-concurrency <n>', 'operations per round (1 = sequential only)')
    .option('--no-faults', 'do not inject faults (429, 5xx, resets, lost answers, delays, stale searches, double deliveries)')
    .option('--full-records', 'every record carries every optional attribute (hides lost-update races)')
    .option('--with-events', 'records also enroll the patient and record 1-2 visits (checks duplicate enrollments and events, lost data values)')
    .option('--no-preexisting', 'no entities before the run (no ambiguous duplicates)')
    .option('--url <url>', 'run against a dhis2-harness emulator already listening here (default: a fresh in-process one per run)')
    .option('--admin-token <t>', "that emulator's --admin-token")
    .option('--username <u>', 'user the implementation gets', 'admin')
    .option('--password <p>', 'password the implementation gets', 'district')
    .option('--json', 'print the report as JSON on stdout')
    .option('--save <file>', 'where to save a failing counterexample', DEFAULT_SAVE)
    .option('--no-save', 'do not save a failing counterexample')
    .option('--quiet', 'no progress on stderr')
    .action(async (o: VerifyCliOptions) => {
      const opTimeoutMs = parseIntOption(o.opTimeout, '--op-timeout');
      const exec = parseExecFlags(o.execMode, o.execPool, o.maxConcurrency ? parseIntOption(o.maxConcurrency, '--max-concurrency') : 1);
      let report: VerifyReport;
      let target: ReplayTarget;
      let implementation: ImplementationSource | undefined;
      try {
      if (o.replay) {
        const file = await loadReplay(o.replay);
        target = o.module ? { module: o.module, ...(o.batch ? { batch: true } : {}) } : o.exec ? { exec: o.exec } : o.implementation ? { implementation: o.implementation } : (file.target ?? {});
        if (!target.module && !target.exec && !target.implementation) throw new CliUsageError(`${o.replay} does not say what to run: add --module FILE or --exec COMMAND.`);
        const remote = o.url ? { url: o.url, adminToken: o.adminToken, username: o.username, password: o.password } : undefined;
          implementation = await implementationOf(target, opTimeoutMs, exec);
          report = await replayCounterexample(implementation, file, { opTimeoutMs, remote });
      } else {
        if ([o.module, o.exec, o.implementation].filter((x) => x !== undefined).length !== 1) {
          throw new CliUsageError('verify needs exactly one of --module FILE, --exec "COMMAND" or --implementation NAME (or --replay FILE).');
        }
        target = o.module ? { module: o.module, ...(o.batch ? { batch: true } : {}) } : o.exec ? { exec: o.exec } : { implementation: o.implementation };
        const { constraints, flags } = constraintsOf(o);
        if (o.phase !== 'scheduled' && o.phase !== 'concurrent') throw new CliUsageError(`--phase takes scheduled or concurrent, not '${o.phase}'.`);
          if (exec.mode !== 'per-operation' && !target.exec) throw new CliUsageError('--exec-mode applies to --exec "COMMAND" only.');
          implementation = await implementationOf(target, opTimeoutMs, exec);
        // a CI job sets its budget once for every verify it runs (the flag still wins)
        const envLimit = process.env.DHIS2_HARNESS_TIME_LIMIT;
        const timeLimit = o.timeLimit !== undefined ? parseIntOption(o.timeLimit, '--time-limit') : envLimit ? parseIntOption(envLimit, 'DHIS2_HARNESS_TIME_LIMIT') : 120;
        const progress = new Progress({ command: 'verify', unit: 'runs', limitSeconds: timeLimit, quiet: o.quiet || o.json });
        let failing = 0;
        report = await verifyUpsert(implementation, {
          // a CI job pins the seed once for every verify it runs (the flag still wins)
          seed: o.seed !== undefined ? parseIntOption(o.seed, '--seed') : process.env.DHIS2_HARNESS_SEED ? parseIntOption(process.env.DHIS2_HARNESS_SEED, 'DHIS2_HARNESS_SEED') : undefined,
          path: o.path,
          phase: o.phase as RunMode,
          numRuns: o.runs !== undefined ? parseIntOption(o.runs, '--runs') : undefined,
          concurrentRuns: o.concurrentRuns !== undefined ? parseIntOption(o.concurrentRuns, '--concurrent-runs') : undefined,
          timeLimitMs: timeLimit * 1000,
          opTimeoutMs,
          workload: constraints,
          url: o.url,
          adminToken: o.adminToken,
          username: o.username,
          password: o.password,
          replayCommand: ({ seed, path, phase, versions }) =>
            [
              'npx dhis2-harness verify',
              targetArgs(target, exec),
              `--seed ${seed}`,
              `--path ${shellQuote(path)}`,
              ...(phase === 'concurrent' ? ['--phase concurrent'] : []),
              // the versions the search drew from (after leaving out those that do not apply)
              ...(o.versions ? [] : ['--versions', versions.join(',')]),
              ...flags,
            ].join(' '),
          onRun: ({ run, phase, ok }) => {
            if (!ok) failing++;
            progress.update(run, failing === 0 ? `0 findings (${phase} phase)` : `shrinking a failure (${failing} failing runs so far)`);
          },
        }).finally(() => progress.stop());
      }
      } finally {
        await implementation?.close?.();
      }
      let savedTo: string | undefined;
      if (!report.ok && o.save && !o.replay) {
        savedTo = o.save;
        await saveReplay(resolve(o.save), toReplayFile(report, target.module ? { ...target, module: resolve(target.module) } : target));
      }
      if (o.json) process.stdout.write(JSON.stringify({ ...report, ...(savedTo ? { savedTo } : {}) }, null, 2) + '\n');
      else process.stdout.write(formatReport(report, { color: process.stdout.isTTY, savedTo }));
      setExit(report.ok ? EXIT.pass : EXIT.findings);
    });
}
