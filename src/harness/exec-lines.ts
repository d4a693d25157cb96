/**
 * Splits a child process's output stream into lines as it arrives. A line longer than `maxLine`
 * characters is cut there (the rest of it is dropped up to its newline), so a program that never
 * prints a newline cannot make the harness buffer without bound.
 */
export class LineSplitter {
  private partial = '';
  /** inside an over-long line whose start was already emitted */
  private dropping = false;

  constructor(private readonly maxLine = 1024 * 1024) {}

  /** The complete lines in this chunk (without their newline). */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let rest = chunk;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
      const piece = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (this.dropping) this.dropping = false;
      else lines.push(trimCr(this.partial + piece).slice(0, this.maxLine));
      this.partial = '';
    }
    if (!this.dropping) {
      this.partial += rest;
      if (this.partial.length > this.maxLine) {
        lines.push(`${this.partial.slice(0, this.maxLine)}…`);
        this.partial = '';
        this.dropping = true;
      }
    }
    return lines;
  }

  /** What is left after the stream ended (a last line without a newline). */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    this.dropping = false;
    return rest === '' ? [] : [trimCr(rest)];
  }
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The last line that says something: a Python traceback's last line is the error itself. */
export function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '';
}
