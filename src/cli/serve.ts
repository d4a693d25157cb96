import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseFaultPlan, type FaultPlan } from '../../mock-server/index.js';
import { DEFAULT_JOURNAL_MAX_BYTES } from '../../mock-server/journal.js';
import { startMockServer, stopOnSignals } from '../../mock-server/server.js';
import type { Fixture } from '../../mock-server/index.js';
import { CliUsageError, parseIntOption } from './options.js';

export function registerServe(program: Command, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('Start the DHIS2 emulator (binds 127.0.0.1 unless --host says otherwise).')
    .option('--port <n>', 'port; 0 picks a free one', '8080')
    .option('--host <h>', 'address to bind', '127.0.0.1')
    .option('--dhis2-version <v>', 'DHIS2 version to emulate: 2.35 … 2.42 (a patch like 2.39.5 is honoured)', '2.40')
    .option('--db <file>', 'persist state to a JSON file (crash-safe, locked to one emulator); memory when absent')
    .option('--db-fsync', 'fsync every --db save (file and folder), so it also survives a power loss; slower')
    .option('--fixture <file>', 'metadata + initial data (JSON); the built-in demo when absent')
    .option('--uniqueness <mode>', 'racy (DHIS2-faithful check-then-insert) | atomic | off', 'racy')
    .option('--faults <file>', 'a seeded fault plan (JSON; see docs/fault-plans.md)')
    .option('--race-window-ms <min,max>', 'racy mode: seeded delay between uniqueness check and commit, in ms', '2,20')
    .option('--journal-limit <n>', 'journal entries kept in memory (oldest evicted first)', '50000')
    .option('--journal-max-bytes <n>', 'journal size cap in bytes of JSON (oldest evicted first)', String(DEFAULT_JOURNAL_MAX_BYTES))
    .option('--seed <n>', 'seed for faults, race windows and generated UIDs (random when absent, printed)')
    .option('--admin-token <t>', 'require Authorization: Bearer <t> on /__admin')
    .action(async (opts) => {
      const fixture = opts.fixture ? await loadFixture(opts.fixture) : undefined;
      const faults = opts.faults ? await loadFaultPlan(opts.faults) : undefined;
      // the same start-up as the process entry: drains requests in flight on stop, then saves --db
      const running = await startMockServer({
        port: parseIntOption(opts.port, '--port'),
        host: opts.host,
        dhis2Version: opts.dhis2Version,
        db: opts.db,
        dbFsync: opts.dbFsync === true,
        uniqueness: opts.uniqueness,
        seed: opts.seed !== undefined ? parseIntOption(opts.seed, '--seed') : undefined,
        adminToken: opts.adminToken,
        raceWindowMs: parseWindow(opts.raceWindowMs),
        journalLimit: parseIntOption(opts.journalLimit, '--journal-limit'),
        journalMaxBytes: parseIntOption(opts.journalMaxBytes, '--journal-max-bytes'),
        fixture,
        faults,
      });
      const { mock, url } = running;
      // signal handlers before the ready line: a supervisor may answer it with SIGTERM at once
      const stopped = new Promise<unknown>((resolve) => stopOnSignals(running, resolve));
      process.stdout.write(`${running.readyLine}\n`);
      const window = mock.runtime.ctx.uniqueness.window.delayMs;
      process.stderr.write(`seed ${mock.seed}; uniqueness ${mock.runtime.ctx.uniqueness.mode} (race window ${window[0]}–${window[1]} ms); admin API at ${url}/__admin\n`);
      if (faults) process.stderr.write(`fault plan ${opts.faults}: ${faults.rules.map((r) => r.kind).join(', ') || 'no rules'} (seed ${mock.runtime.faults.seed})\n`);
      const error = await stopped;
      if (error) throw error;
      setExit(0);
    });
}

async function loadJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliUsageError(`Cannot read the ${what} file ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliUsageError(`The ${what} file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

async function loadFaultPlan(file: string): Promise<FaultPlan> {
  const data = await loadJson(file, 'fault plan');
  try {
    return parseFaultPlan(data);
  } catch (e) {
    throw new CliUsageError(`The fault plan file ${file} is invalid. ${(e as Error).message}`);
  }
}

function parseWindow(value: string): [number, number] {
  const m = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m || Number(m[2]) < Number(m[1])) throw new CliUsageError(`--race-window-ms takes "min,max" in ms with min ≤ max (e.g. 2,20), got '${value}'.`);
  return [Number(m[1]), Number(m[2])];
}

async function loadFixture(file: string): Promise<Fixture> {
  const data = (await loadJson(file, 'fixture')) as Partial<Fixture>;
  if (!data || typeof data !== 'object' || !data.metadata) {
    throw new CliUsageError(`The fixture file ${file} needs a "metadata" object (organisationUnits, trackedEntityAttributes, trackedEntityTypes, programs, optionSets, users).`);
  }
  return data as Fixture;
}
