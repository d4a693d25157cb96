/**
 * `--exec-mode persistent`: a small pool of long-lived processes, one operation at a time each.
 * An operation of simulated job run `ctx.client` always goes to process `client % poolSize`, so
 * two job runs never share a process within a harness run (as long as the pool is at least as
 * large as the number of job runs, which the CLI defaults see to); an operation without a client
 * takes any idle process. Processes start lazily, and a process that failed an operation (exit,
 * protocol break, timeout) is replaced for the next one.
 */
import { ExecFailedError } from './exec-errors.js';
import { PersistentProcess } from './exec-process.js';
import { operationEnv, type ResolvedExecOptions } from './exec-options.js';
import type { HarnessRecord, UpsertContext } from './types.js';

/** hands a waiting operation its slot; undefined: the pool closed */
type Grant = (slot: number | undefined) => void;

interface Slot {
  process?: PersistentProcess;
  busy: boolean;
  /** operations routed here (by client) waiting for it */
  waiters: Grant[];
  /** why the last process ended, told to the next operation that starts a new one */
  lastEnd?: string;
}

export class ExecPool {
  private readonly slots: Slot[];
  /** operations without a client waiting for any slot */
  private readonly anyWaiters: Grant[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    readonly command: string,
    private readonly options: ResolvedExecOptions,
  ) {
    this.slots = Array.from({ length: options.poolSize }, () => ({ busy: false, waiters: [] }));
  }

  async run(record: HarnessRecord, ctx: UpsertContext): Promise<unknown> {
    const busy = ctx.client !== undefined && this.slots[this.slotOf(ctx.client)].busy;
    const index = await this.acquire(ctx.client, ctx.signal);
    const slot = this.slots[index];
    // operations of one client run one after another: waiting here means two clients share a process
    if (busy) ctx.log?.(`[dhis2-harness] waited for process ${index + 1}, busy with another client's operation: use --exec-pool ${Math.min(64, this.slots.length * 2)} or more`);
    try {
      if (!slot.process?.alive) {
        if (slot.lastEnd) ctx.log?.(`[dhis2-harness] started a new process: the previous one ${slot.lastEnd}`);
        slot.process = new PersistentProcess(this.command, { cwd: this.options.cwd, env: this.options.env });
      }
      const proc = slot.process;
      try {
        const reply = await proc.request(String(++this.seq), { record, env: operationEnv(ctx) }, { onLog: ctx.log, signal: ctx.signal, timeoutMs: this.options.timeoutMs });
        if (reply.ok) return reply.result ?? null;
        const definite = reply.outcomeUnknown === false;
        throw new ExecFailedError(`\`${this.command}\` reported a failure: ${reply.error ?? '(no error message)'}`, null, '', !definite);
      } finally {
        if (!proc.alive) slot.lastEnd = proc.ended;
      }
    } finally {
      this.release(index);
    }
  }

  /** Stops every process (EOF first, then SIGKILL after a grace period); later operations fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.anyWaiters.splice(0)) w(undefined);
    for (const s of this.slots) for (const w of s.waiters.splice(0)) w(undefined);
    await Promise.all(this.slots.map((s) => s.process?.close()));
  }

  private acquire(client: number | undefined, signal: AbortSignal | undefined): Promise<number> {
    if (this.closed) return Promise.reject(new ExecFailedError(`The process pool of \`${this.command}\` is closed.`, null, ''));
    if (signal?.aborted) return Promise.reject(new ExecFailedError('aborted by the harness before a process was free', null, ''));
    if (client !== undefined) {
      const index = this.slotOf(client);
      const slot = this.slots[index];
      if (!slot.busy) {
        slot.busy = true;
        return Promise.resolve(index);
      }
      return this.wait(signal, slot.waiters);
    }
    // any idle slot, one with a running process first (no start-up cost)
    const idle = this.slots.findIndex((s) => !s.busy && s.process?.alive);
    const index = idle >= 0 ? idle : this.slots.findIndex((s) => !s.busy);
    if (index >= 0) {
      this.slots[index].busy = true;
      return Promise.resolve(index);
    }
    return this.wait(signal, this.anyWaiters);
  }

  private slotOf(client: number): number {
    return ((Math.trunc(client) % this.slots.length) + this.slots.length) % this.slots.length;
  }

  /** Parks in `queue` until a slot is handed over, the pool closes, or the operation is aborted. */
  private wait(signal: AbortSignal | undefined, queue: Grant[]): Promise<number> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        remove(queue, grant);
        reject(new ExecFailedError('aborted by the harness before a process was free', null, ''));
      };
      const grant: Grant = (index) => {
        signal?.removeEventListener('abort', onAbort);
        if (index === undefined) reject(new ExecFailedError(`The process pool of \`${this.command}\` is closed.`, null, ''));
        else resolve(index);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  /** Hands the slot to the next operation routed to it, else to one waiting for any slot, else frees it. */
  private release(index: number): void {
    const slot = this.slots[index];
    const routed = slot.waiters.shift();
    if (routed) return routed(index);
    const any = this.anyWaiters.shift();
    if (any) return any(index);
    slot.busy = false;
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
