/**
 * Adaptors log through the global `console` (language-common prints every request it makes). Run
 * as an upsert hundreds of times, that floods the terminal and mixes the lines of concurrent
 * operations. While a capture is active, console output goes to the capture of the async context
 * it was produced in (AsyncLocalStorage), so two operations running at once in one process each
 * keep their own lines; outside any capture, console behaves as before.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format, inspect } from 'node:util';

interface Capture {
  write(line: string): void;
  echo: boolean;
}

const METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir'] as const;
type Method = (typeof METHODS)[number];

const storage = new AsyncLocalStorage<Capture>();
let originals: Record<Method, (...args: unknown[]) => void> | undefined;

function render(method: Method, args: unknown[]): string {
  if (method === 'dir') return inspect(args[0], { depth: 4 });
  const text = format(...args);
  return method === 'trace' ? `Trace: ${text}` : text;
}

/** Patches the console once; the patched methods pass through when no capture is active. */
function install(): void {
  if (originals) return;
  const saved = {} as Record<Method, (...args: unknown[]) => void>;
  for (const method of METHODS) {
    const original = console[method] as (...args: unknown[]) => void;
    saved[method] = original;
    console[method] = function captured(this: unknown, ...args: unknown[]) {
      const capture = storage.getStore();
      if (!capture) return original.apply(console, args);
      for (const line of render(method, args).split('\n')) capture.write(line);
      if (capture.echo) original.apply(console, args);
    } as Console[Method];
  }
  originals = saved;
}

/** Runs `fn` with console output sent to `write` line by line (and echoed too when `echo`). */
export function captureConsole<T>(write: (line: string) => void, echo: boolean, fn: () => T): T {
  install();
  return storage.run({ write, echo }, fn);
}
