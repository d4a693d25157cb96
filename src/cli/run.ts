import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { renderHtml } from '../harness/report/html.js';
import { renderJson } from '../harness/report/json.js';
import { renderJUnit } from '../harness/report/junit.js';
import type { RunReport } from '../harness/report/model.js';
import { formatTable } from '../harness/report/table.js';
import { expandScenarioPaths, loadScenarioFile, ScenarioFileError } from '../harness/scenario/load.js';
import { runScenarios } from '../harness/scenario/run-scenarios.js';
import { addImplementationOptions, checkSpecs, SPEC_HELP, specsOf, type ImplementationFlags } from './implementation-flag.js';
import { CliUsageError, parseExecFlags } from './options.js';
import { Progress } from './progress.js';
import { EXIT } from './usage.js';
import { packageVersion } from './version.js';

export { packageVersion };

async function write(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
  return file;
}

const DEFAULT_FOLDER = 'scenarios';

/** Every scenario file must load before anything runs: a broken file is a usage error (exit 2). */
async function checkScenarioFiles(inputs: string[]): Promise<void> {
  let files: string[];
  try {
    files = await expandScenarioPaths(inputs);
  } catch (e) {
    if (!(e instanceof ScenarioFileError)) throw e;
    const hint = inputs.length === 1 && inputs[0] === DEFAULT_FOLDER
      ? ` (without arguments, run reads ./${DEFAULT_FOLDER}; pass scenario files or folders, e.g. node_modules/dhis2-upsert-harness/scenarios, the library the package ships)`
      : '';
    throw new CliUsageError(`${e.message}${hint}`);
  }
  const problems: string[] = [];
  for (const file of files) {
    try {
      await loadScenarioFile(file);
    } catch (e) {
      if (!(e instanceof ScenarioFileError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) throw new CliUsageError(`invalid scenario file${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`);
}

interface RunCliOptions extends ImplementationFlags {
  execMode?: string;
  execPool?: string;
  json?: string;
  junit?: string;
  html?: string;
  quiet?: boolean;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('run')
    .description('Run scenario files (default: the scenarios/ folder) against the embedded emulator. Exit code 0 when every expectation holds, 1 on a finding, 2 on a usage error.')
    .argument('[files...]', 'scenario files or folders of *.json scenarios', [DEFAULT_FOLDER]);
  addImplementationOptions(command, `run this implementation instead of each scenario's list: ${SPEC_HELP} (repeatable)`)
    .option('--exec-mode <mode>', 'how exec: implementations run: per-operation or persistent (docs/exec.md)', 'per-operation')
    .option('--exec-pool <n>', 'persistent mode: at most this many processes (default 8)')
    .option('--json <file>', 'write the report as JSON')
    .option('--junit <file>', 'write the report as JUnit XML (for CI)')
    .option('--html <file>', 'write a self-contained HTML report with a timeline per failing key')
    .option('--quiet', 'no progress on stderr')
    .action(async (files: string[], o: RunCliOptions) => {
      const specs = specsOf(o);
      const exec = parseExecFlags(o.execMode, o.execPool);
      await checkSpecs(specs);
      await checkScenarioFiles(files);
      let progress: Progress | undefined;
      const counts = { PASS: 0, XFAIL: 0, 'N/A': 0, other: 0 };
      let report: RunReport;
      try {
        report = await runScenarios(files, {
          ...(specs.length > 0 ? { implementations: specs } : {}),
          version: packageVersion(),
          exec,
          onStart: ({ file, implementation, index, total }) => {
            progress ??= new Progress({ command: 'run', unit: 'runs done', total, quiet: o.quiet });
            progress.update(index, `now ${path.basename(file, '.json')} × ${implementation}`);
          },
          onResult: (r, index, total) => {
            if (r.verdict === 'PASS' || r.verdict === 'XFAIL' || r.verdict === 'N/A') counts[r.verdict]++;
            else counts.other++;
            progress?.update(index + 1, `${counts.PASS} passed, ${counts.XFAIL} failed as expected, ${counts['N/A']} not applicable, ${counts.other} failed`);
            progress?.log(`[${index + 1}/${total}] ${r.scenario} × ${r.implementation}: ${r.verdict} (${r.durationMs} ms)`);
          },
        });
      } finally {
        progress?.stop();
      }
      const written: string[] = [];
      if (o.json) written.push(await write(o.json, renderJson(report)));
      if (o.junit) written.push(await write(o.junit, renderJUnit(report)));
      if (o.html) written.push(await write(o.html, renderHtml(report)));
      process.stdout.write(formatTable(report, { color: !!process.stdout.isTTY, written }));
      setExit(report.ok ? EXIT.pass : EXIT.findings);
    });
}
