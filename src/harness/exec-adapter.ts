/**
 * Any program as an upsert (interfaces.md): the command runs once per operation through
 * `/bin/sh -c`, gets DHIS2_BASE_URL, DHIS2_USERNAME and DHIS2_PASSWORD in its environment and the
 * record as JSON on stdin; exit code 0 means success, and a UID printed on stdout (bare, or as
 * `uid`/`trackedEntity`/`reference` of a JSON object) is taken as its answer. Any other exit
 * means "may or may not have happened": the harness cannot know what a failed program wrote.
 */
import { spawn } from 'node:child_process';
import type { HarnessRecord, Implementation, UpsertContext } from './types.js';

export class ExecFailedError extends Error {
  readonly code = 'EXEC_FAILED';
  /** a failed program may have written before it failed */
  readonly outcomeUnknown = true;
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface ExecOptions {
  /** kill the program after this long (default 20 s; the harness's own timeout also kills it) */
  timeoutMs?: number;
  /** extra environment */
  env?: Record<string, string>;
  cwd?: string;
}

const MAX_OUTPUT = 64 * 1024;

/** An implementation that runs `command` per operation. */
export function execImplementation(command: string, options: ExecOptions = {}): Implementation {
  if (typeof command !== 'string' || command.trim() === '') throw new TypeError('execImplementation: command must be a non-empty string');
  return (record: HarnessRecord, ctx: UpsertContext) => runOnce(command, record, ctx, options);
}

function runOnce(command: string, record: HarnessRecord, ctx: UpsertContext, options: ExecOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    // own process group, so a timeout kills the whole pipeline (curl children included)
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, DHIS2_BASE_URL: ctx.baseUrl, DHIS2_USERNAME: ctx.username, DHIS2_PASSWORD: ctx.password },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let killedBy: string | undefined;
    const kill = (why: string) => {
      killedBy ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${options.timeoutMs ?? 20_000} ms`), options.timeoutMs ?? 20_000);
    const onAbort = () => kill('aborted by the harness');
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
    });
    child.stdin.on('error', () => {
      // the program may exit without reading stdin
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new ExecFailedError(`Cannot run \`${command}\`: ${err.message}`, null, stderr));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      if (code === 0 && !killedBy) return resolve(stdout.trim());
      const why = killedBy ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
      const tail = stderr.trim().split(/\r?\n/).filter((line) => line.trim() !== '').pop()?.trim() ?? ''; // the last line says what went wrong (a traceback's exception); all of stderr stays in .stderr
      reject(new ExecFailedError(`\`${command}\` failed (${why})${tail ? `: ${tail}` : ''}`, code, stderr));
    });
    child.stdin.end(JSON.stringify(record));
  });
}
