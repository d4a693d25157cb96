/**
 * Any program as an upsert (interfaces.md, docs/exec.md). Per operation (the default): the command
 * runs once per operation through `/bin/sh -c`, gets DHIS2_BASE_URL, DHIS2_USERNAME and
 * DHIS2_PASSWORD (and DHIS2_VERSION when known) in its environment and the record as JSON on stdin;
 * exit code 0 means success, and a UID printed on stdout (bare, or as `uid`/`trackedEntity`/
 * `reference` of a JSON object) is taken as its answer. Any other exit means "may or may not have
 * happened": the harness cannot know what a failed program wrote. Persistent: see exec-pool.ts.
 * Either way, the program's stderr lines become the operation's log (`ctx.log`).
 */
import { spawn } from 'node:child_process';
import { ExecFailedError } from './exec-errors.js';
import { ExecPool } from './exec-pool.js';
import { LineSplitter, lastMeaningfulLine } from './exec-lines.js';
import { operationEnv, parseExecOptions, type ExecMode, type ExecOptions, type ResolvedExecOptions } from './exec-options.js';
import type { HarnessRecord, Implementation, UpsertContext } from './types.js';

export { ExecFailedError } from './exec-errors.js';
export { EXEC_MODES, InvalidExecOptionsError, type ExecMode, type ExecOptions } from './exec-options.js';

/** An exec implementation; `close()` stops its processes (a no-op per operation). */
export type ExecImplementation = Implementation & { readonly mode: ExecMode; close(): Promise<void> };

const MAX_OUTPUT = 64 * 1024;

/** An implementation that runs `command` per operation, or through a persistent pool (`mode: 'persistent'`). */
export function execImplementation(command: string, options: ExecOptions = {}): ExecImplementation {
  if (typeof command !== 'string' || command.trim() === '') throw new TypeError('execImplementation: command must be a non-empty string');
  const resolved = parseExecOptions(options);
  if (resolved.mode === 'persistent') {
    const pool = new ExecPool(command, resolved);
    return Object.assign((record: HarnessRecord, ctx: UpsertContext) => pool.run(record, ctx), { mode: resolved.mode, close: () => pool.close() });
  }
  return Object.assign((record: HarnessRecord, ctx: UpsertContext) => runOnce(command, record, ctx, resolved), { mode: resolved.mode, close: async () => {} });
}

/** Calls an implementation's `close()` when it has one (exec pools; modules may export one too). */
export async function closeImplementation(implementation: unknown): Promise<void> {
  const close = (implementation as { close?: unknown } | null)?.close;
  if (typeof close === 'function') await (close as () => Promise<void>).call(implementation);
}

function runOnce(command: string, record: HarnessRecord, ctx: UpsertContext, options: ResolvedExecOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    // own process group, so a timeout kills the whole pipeline (curl children included)
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, ...operationEnv(ctx) },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const stderrLines = new LineSplitter(8 * 1024);
    let killedBy: string | undefined;
    const kill = (why: string) => {
      killedBy ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => kill('aborted by the harness');
    if (ctx.signal?.aborted) onAbort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
      for (const line of stderrLines.push(d)) ctx.log?.(line);
    });
    child.stdin.on('error', () => {
      // the program may exit without reading stdin
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      reject(new ExecFailedError(`Cannot run \`${command}\`: ${err.message}`, null, stderr));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      for (const line of stderrLines.flush()) ctx.log?.(line);
      if (code === 0 && !killedBy) return resolve(stdout.trim());
      const why = killedBy ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
      const last = lastMeaningfulLine(stderr);
      reject(new ExecFailedError(`\`${command}\` failed (${why})${last ? `: ${last}` : ''}`, code, stderr));
    });
    child.stdin.end(JSON.stringify(record));
  });
}
