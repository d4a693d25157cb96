/**
 * The output an implementation attaches to one operation (`ctx.log`): an adaptor's console, a
 * script's stderr. Kept bounded, because a chatty client runs thousands of operations: the last
 * {@link MAX_LOG_LINES} lines and at most {@link MAX_LOG_BYTES} characters, each line clipped.
 */

export const MAX_LOG_LINES = 200;
export const MAX_LOG_BYTES = 16 * 1024;
const MAX_LINE = 2000;

export class OpLogBuffer {
  private readonly kept: string[] = [];
  private size = 0;
  /** lines pushed out by newer ones */
  dropped = 0;
  private closed = false;

  constructor(
    private readonly maxLines = MAX_LOG_LINES,
    private readonly maxChars = MAX_LOG_BYTES,
  ) {}

  /** Adds one or more lines (split on newlines; trailing blanks ignored). Ignored once closed. */
  push(text: string): void {
    if (this.closed) return;
    const lines = String(text).replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
    for (const raw of lines) {
      const line = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE - 1)}…` : raw;
      this.kept.push(line);
      this.size += line.length;
      while (this.kept.length > this.maxLines || (this.size > this.maxChars && this.kept.length > 1)) {
        this.size -= this.kept.shift()!.length;
        this.dropped++;
      }
    }
  }

  /** Stops collecting (the operation completed: later output belongs to no recorded outcome). */
  close(): string[] | undefined {
    this.closed = true;
    return this.lines();
  }

  /** The kept lines, led by a note when older ones were dropped; undefined when there are none. */
  lines(): string[] | undefined {
    if (this.kept.length === 0) return undefined;
    return this.dropped > 0 ? [`… ${this.dropped} earlier line(s) dropped`, ...this.kept] : [...this.kept];
  }
}
