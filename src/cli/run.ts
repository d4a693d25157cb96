import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { renderHtml } from '../harness/report/html.js';
import { renderJson } from '../harness/report/json.js';
import { renderJUnit } from '../harness/report/junit.js';
import type { RunReport } from '../harness/report/model.js';
import { formatTable } from '../harness/report/table.js';
import { ScenarioFileError } from '../harness/scenario/load.js';
import { runScenarios } from '../harness/scenario/run-scenarios.js';
import { IMPLEMENTATION_PATTERN } from '../harness/scenario/schema.js';
import { CliUsageError, parseExecFlags } from './options.js';

interface RunCliOptions {
  impl: string[];
  module?: string;
  exec?: string;
  execMode?: string;
  execPool?: string;
  json?: string;
  junit?: string;
  html?: string;
  quiet?: boolean;
}

/** The package version, for reports (the package.json above this file, in src/ or dist/src/). */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'dhis2-upsert-harness') return pkg.version ?? '0.0.0';
      } catch {
        // keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

async function write(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
  return file;
}

function implementationsOf(o: RunCliOptions): string[] | undefined {
  const specs = [...o.impl];
  if (o.module) specs.push(`module:${path.resolve(o.module)}`);
  if (o.exec) specs.push(`exec:${o.exec}`);
  for (const s of specs) {
    if (!IMPLEMENTATION_PATTERN.test(s)) throw new CliUsageError(`--impl takes robust, reference:<name>, module:<path> or exec:<command>, not '${s}'.`);
  }
  return specs.length > 0 ? specs : undefined;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('Run scenario files (default: the scenarios/ folder) against the embedded emulator; exit code 0 only when every expectation holds.')
    .argument('[files...]', 'scenario files or folders of *.json scenarios', ['scenarios'])
    .option('--impl <spec>', 'run this implementation instead of each scenario\'s list: robust, reference:<name>, module:<path>, exec:<command> (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--module <file>', 'shorthand for --impl module:<file> (default export (record, ctx) => Promise)')
    .option('--exec <command>', 'shorthand for --impl exec:<command> (record on stdin, DHIS2_BASE_URL/USERNAME/PASSWORD in env, exit 0 = success)')
    .option('--exec-mode <mode>', 'how exec: implementations run: per-operation or persistent (docs/exec.md)', 'per-operation')
    .option('--exec-pool <n>', 'persistent mode: at most this many processes (default 8)')
    .option('--json <file>', 'write the report as JSON')
    .option('--junit <file>', 'write the report as JUnit XML (for CI)')
    .option('--html <file>', 'write a self-contained HTML report with a timeline per failing key')
    .option('--quiet', 'no progress on stderr')
    .action(async (files: string[], o: RunCliOptions) => {
      const implementations = implementationsOf(o);
      const exec = parseExecFlags(o.execMode, o.execPool);
      const tty = process.stderr.isTTY && !o.quiet;
      const bar = tty ? new cliProgress.SingleBar({ format: '{bar} {value}/{total} {label}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
      let report: RunReport;
      try {
        report = await runScenarios(files, {
          ...(implementations ? { implementations } : {}),
          version: packageVersion(),
          exec,
          onStart: ({ file, implementation, index, total }) => {
            const label = `${path.basename(file, '.json')} × ${implementation}`;
            if (bar) {
              if (index === 0) bar.start(total, 0, { label });
              else bar.update(index, { label });
            }
          },
          onResult: (r, index, total) => {
            if (bar) bar.update(index + 1, { label: `${r.scenario} × ${r.implementation}: ${r.verdict}` });
            else if (!o.quiet) process.stderr.write(`[${index + 1}/${total}] ${r.scenario} × ${r.implementation}: ${r.verdict} (${r.durationMs} ms)\n`);
          },
        });
      } catch (e) {
        bar?.stop();
        if (e instanceof ScenarioFileError) throw new CliUsageError(e.message);
        throw e;
      }
      bar?.stop();
      const written: string[] = [];
      if (o.json) written.push(await write(o.json, renderJson(report)));
      if (o.junit) written.push(await write(o.junit, renderJUnit(report)));
      if (o.html) written.push(await write(o.html, renderHtml(report)));
      process.stdout.write(formatTable(report, { color: !!process.stdout.isTTY, written }));
      setExit(report.ok ? 0 : 1);
    });
}
