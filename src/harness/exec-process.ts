/**
 * One long-lived `--exec-mode persistent` process: it reads one request line
 * `{"id","record","env"}` on stdin and answers one line `{"id","ok":true,"result"}` or
 * `{"id","ok":false,"error"}` on stdout (interfaces.md). One request at a time. Anything else on
 * stdout, an exit, or a timeout fails the request in flight and ends the process (its state is no
 * longer trustworthy); the pool starts a new one for the next operation. stderr lines go to the
 * operation in flight (`onLog`), or, between operations, to the next one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ExecFailedError } from './exec-errors.js';
import { LineSplitter } from './exec-lines.js';

export interface ExecReply {
  ok: boolean;
  result?: unknown;
  error?: string;
  /** `false`: the program says nothing was written (a definite failure) */
  outcomeUnknown?: boolean;
}

interface InFlight {
  id: string;
  resolve: (reply: ExecReply) => void;
  reject: (err: Error) => void;
  onLog?: (line: string) => void;
  lastStderr?: string;
}

const MAX_IDLE_STDERR = 50;
const live = new Set<PersistentProcess>();
let exitHookInstalled = false;

/** A CLI that exits without closing its pool must not leave processes behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.kill('the harness exited');
  });
}

export class PersistentProcess {
  private readonly child: ChildProcess;
  private current?: InFlight;
  private readonly idleStderr: string[] = [];
  private readonly exited: Promise<void>;
  /** why the process is gone or going (undefined while it serves) */
  ended?: string;

  constructor(
    readonly command: string,
    options: { cwd?: string; env?: Record<string, string> },
  ) {
    // own process group, so killing it takes the whole pipeline with it
    this.child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    live.add(this);
    installExitHook();
    const stdout = new LineSplitter();
    const stderr = new LineSplitter(8 * 1024);
    this.child.stdout!.setEncoding('utf8');
    this.child.stderr!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      for (const line of stdout.push(d)) this.onStdoutLine(line);
    });
    this.child.stderr!.on('data', (d: string) => {
      for (const line of stderr.push(d)) this.onStderrLine(line);
    });
    this.child.stdin!.on('error', () => {
      // a process that died mid-write: its 'exit' tells the story
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.end(`could not be started: ${err.message}`, null);
        resolve();
      });
      // 'close', not 'exit': an answer written just before exiting is read before the exit counts
      this.child.on('close', (code, signal) => {
        for (const line of stderr.flush()) this.onStderrLine(line);
        this.end(signal ? `was killed by ${signal}` : `exited with code ${code}`, code);
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Sends one request and waits for its answer line. */
  request(id: string, payload: object, options: { onLog?: (line: string) => void; signal?: AbortSignal; timeoutMs: number }): Promise<ExecReply> {
    if (!this.alive) return Promise.reject(new ExecFailedError(`\`${this.command}\` ${this.ended}`, null, ''));
    if (this.current) return Promise.reject(new Error('PersistentProcess: one request at a time'));
    return new Promise<ExecReply>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`did not answer within ${options.timeoutMs} ms`), options.timeoutMs);
      const onAbort = () => this.fail('was stopped: the harness aborted the operation');
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.current = undefined;
      };
      this.current = {
        id,
        onLog: options.onLog,
        resolve: (reply) => (done(), resolve(reply)),
        reject: (err) => (done(), reject(err)),
      };
      for (const line of this.idleStderr.splice(0)) options.onLog?.(line);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.child.stdin!.write(`${JSON.stringify({ id, ...payload })}\n`);
    });
  }

  /** Fails the request in flight (if any) and ends the process. */
  private fail(why: string): void {
    const current = this.current;
    this.kill(why);
    if (current) current.reject(new ExecFailedError(`\`${this.command}\` ${why}${current.lastStderr ? `: ${current.lastStderr}` : ''}`, null, current.lastStderr ?? ''));
  }

  private onStdoutLine(line: string): void {
    if (line.trim() === '') return;
    const current = this.current;
    if (!current) return this.fail(`printed on stdout between operations (${clip(line)}); stdout carries only answer lines`);
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      return this.fail(`printed a line that is not JSON on stdout (${clip(line)}); print logs to stderr`);
    }
    const r = reply as { id?: unknown; ok?: unknown; error?: unknown; outcomeUnknown?: unknown; result?: unknown } | null;
    if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.ok !== 'boolean') {
      return this.fail(`answered ${clip(line)}, which is not {"id":…,"ok":true|false,…}`);
    }
    if (String(r.id) !== current.id) return this.fail(`answered request id ${JSON.stringify(r.id)} while ${JSON.stringify(current.id)} was in flight`);
    current.resolve({
      ok: r.ok,
      ...('result' in r ? { result: r.result } : {}),
      ...(r.error !== undefined ? { error: typeof r.error === 'string' ? r.error : JSON.stringify(r.error) } : {}),
      ...(typeof r.outcomeUnknown === 'boolean' ? { outcomeUnknown: r.outcomeUnknown } : {}),
    });
  }

  private onStderrLine(line: string): void {
    const current = this.current;
    if (current) {
      current.onLog?.(line);
      if (line.trim()) current.lastStderr = line.trim();
    } else if (line.trim()) {
      this.idleStderr.push(line);
      if (this.idleStderr.length > MAX_IDLE_STDERR) this.idleStderr.shift();
    }
  }

  private end(why: string, code: number | null): void {
    this.ended ??= why;
    live.delete(this);
    const current = this.current;
    if (current) current.reject(new ExecFailedError(`\`${this.command}\` ${this.ended} before answering${current.lastStderr ? `: ${current.lastStderr}` : ''}`, code, current.lastStderr ?? ''));
  }

  /** Kills the process group at once. */
  kill(why: string): void {
    this.ended ??= why;
    live.delete(this);
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Ends stdin (a well-behaved loop exits at EOF), then kills whatever is left after `graceMs`. */
  async close(graceMs = 1000): Promise<void> {
    if (this.alive) {
      this.child.stdin!.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    // the group too: a shell's children may outlive it
    this.kill('was closed');
    await this.exited;
  }
}

function clip(line: string): string {
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
