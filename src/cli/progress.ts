/**
 * Progress of a long command (run, verify, hammer, upsert) on stderr, one behaviour for all:
 * on a terminal a bar (a known total) or one rewritten line (an open-ended count); without a
 * terminal, as in CI logs, a plain heartbeat line at least every 10 s, so a two-minute `verify`
 * never looks hung: `verify: 340 runs, 0 findings, 42 s of 120 s`.
 */
import cliProgress from 'cli-progress';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** first word of every line: the command */
  command: string;
  /** what `done` counts: "runs", "upserts", "records" */
  unit: string;
  /** print nothing at all */
  quiet?: boolean;
  /** known total: a bar on a terminal, "N of TOTAL" in heartbeats */
  total?: number;
  /** the command's own time budget, shown as "42 s of 120 s" */
  limitSeconds?: number;
  /** default process.stderr */
  stream?: ProgressStream;
  /** heartbeat interval without a terminal (default 10 000 ms) */
  heartbeatMs?: number;
  /** clock (tests) */
  now?: () => number;
}

export const HEARTBEAT_MS = 10_000;

export class Progress {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly tty: boolean;
  private done = 0;
  private detail = '';
  private bar: cliProgress.SingleBar | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lineShown = false;
  private stopped = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.tty = !!this.stream.isTTY;
    if (options.quiet) {
      this.stopped = true;
      return;
    }
    if (this.tty && options.total !== undefined) {
      this.bar = new cliProgress.SingleBar(
        { format: `${options.command} {bar} {value}/{total} ${options.unit} {detail}`, hideCursor: true, clearOnComplete: true, stream: this.stream as NodeJS.WritableStream },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(options.total, 0, { detail: '' });
    } else if (!this.tty) {
      this.timer = setInterval(() => this.stream.write(`${this.heartbeat()}\n`), options.heartbeatMs ?? HEARTBEAT_MS);
      this.timer.unref?.();
    }
  }

  /** The state now: `done` units so far and a short phrase ("0 findings", "3 created"). */
  update(done: number, detail = ''): void {
    if (this.stopped) return;
    this.done = done;
    this.detail = detail;
    if (this.bar) this.bar.update(Math.min(done, this.options.total ?? done), { detail });
    else if (this.tty) {
      this.stream.write(`\r\x1b[K${this.heartbeat()}`);
      this.lineShown = true;
    }
  }

  /** A line worth keeping in a log (a scenario's verdict): printed at once without a terminal. */
  log(line: string): void {
    if (this.stopped || this.tty) return;
    this.stream.write(`${line}\n`);
  }

  /** Ends the bar, the line or the heartbeat. Safe to call twice. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.bar?.stop();
    this.bar = undefined;
    if (this.lineShown) this.stream.write('\r\x1b[K');
    this.lineShown = false;
    this.stopped = true;
  }

  /** `verify: 340 runs, 0 findings, 42 s of 120 s` */
  heartbeat(): string {
    const o = this.options;
    const seconds = Math.round((this.now() - this.startedAt) / 1000);
    const count = `${this.done}${o.total !== undefined ? ` of ${o.total}` : ''} ${o.unit}`;
    const time = `${seconds} s${o.limitSeconds !== undefined ? ` of ${o.limitSeconds} s` : ''}`;
    return `${o.command}: ${[count, this.detail, time].filter(Boolean).join(', ')}`;
  }
}
