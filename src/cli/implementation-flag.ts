/**
 * `--implementation SPEC` (alias `--impl`), `--module FILE` and `--exec COMMAND` as `run` and
 * `hammer` take them: one vocabulary with `verify` (`robust`, a reference by its bare name or as
 * `reference:<name>`, `module:<path>`, `exec:<command>`), checked before anything runs so a
 * missing module is one usage error, not one failed row per scenario.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { references } from '../reference/index.js';
import { resolveImplementation } from '../harness/scenario/implementation.js';
import { IMPLEMENTATION_PATTERN } from '../harness/scenario/schema.js';
import { CliUsageError } from './options.js';

export const SPEC_HELP = 'robust, a reference (naiveSearchThenCreate or reference:<name>), module:<path> or exec:<command>';

const collect = (v: string, acc: string[]) => [...acc, v];

/** Adds `--implementation` (repeatable), its alias `--impl`, `--module` and `--exec`. */
export function addImplementationOptions(command: Command, implementationHelp: string): Command {
  return command
    .option('--implementation <spec>', implementationHelp, collect, [] as string[])
    .addOption(new Option('--impl <spec>', 'alias of --implementation').argParser(collect).default([] as string[]).hideHelp())
    .option('--module <file>', 'shorthand for --implementation module:<file> (default export async (record, ctx) => result)')
    .option('--exec <command>', 'shorthand for --implementation exec:<command> (record on stdin, DHIS2_BASE_URL/USERNAME/PASSWORD in env, exit 0 = success)');
}

export interface ImplementationFlags {
  implementation: string[];
  impl: string[];
  module?: string;
  exec?: string;
}

/** A bare reference name means that reference; everything else must already be a spec. */
export function normaliseSpec(spec: string): string {
  const s = spec.trim();
  return Object.hasOwn(references, s) ? `reference:${s}` : s;
}

/** The specs the flags name, in order (`--module`/`--exec` last), each validated. */
export function specsOf(o: ImplementationFlags): string[] {
  const specs = [...o.implementation, ...o.impl].map(normaliseSpec);
  if (o.module) specs.push(`module:${path.resolve(o.module)}`);
  if (o.exec) specs.push(`exec:${o.exec}`);
  for (const s of specs) {
    if (!IMPLEMENTATION_PATTERN.test(s)) throw new CliUsageError(`--implementation takes ${SPEC_HELP}, not '${s}'.`);
  }
  return specs;
}

/**
 * The program an `--exec` command starts must exist: `pyhton3 upsert.py` is a usage error, not a
 * finding per operation. Only the first word is checked (after `NAME=value` assignments); a
 * command that starts with shell syntax is left to the shell.
 */
export function checkExecCommand(command: string, cwd = process.cwd()): void {
  const m = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*([^\s;&|()<>{}$`'"]+)/.exec(command);
  if (!m) return;
  const program = m[1];
  const found = program.includes('/') ? existsSync(path.resolve(cwd, program)) : spawnSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', program], { cwd, stdio: 'ignore' }).status === 0;
  if (!found) throw new CliUsageError(`--exec: '${program}' is not a program on this machine (from \`${command}\`): check the spelling and PATH.`);
}

/**
 * Loads each spec once (a module must exist and export a function; a reference must exist), so
 * a mistake stops the command before the first run.
 */
export async function checkSpecs(specs: string[], cwd = process.cwd()): Promise<void> {
  for (const spec of specs) {
    if (spec.startsWith('exec:')) checkExecCommand(spec.slice('exec:'.length), cwd);
    try {
      await resolveImplementation(spec, cwd);
    } catch (e) {
      throw new CliUsageError((e as Error).message);
    }
  }
}
