/**
 * The one way every command reports a mistake it cannot run with (a missing file, a bad flag, an
 * invalid scenario or fault plan): one line on stderr naming the command, exit code 2, so a
 * script can tell "the harness could not start" (2) from "your upsert has a finding" (1).
 */
import { CliUsageError } from './options.js';

export const EXIT = { pass: 0, findings: 1, usage: 2 } as const;

/** One line: a multi-line message (several problems) is joined with "; ". */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}

/**
 * Errors the user can fix: ours carry a stable `code` (CLI_USAGE, MODULE_LOAD, INVALID_SCENARIO,
 * INVALID_FAULT_PLAN, …). Anything else is a bug of the harness, said as such.
 */
function isUserFacing(err: unknown): err is Error {
  return err instanceof CliUsageError || (err instanceof Error && typeof (err as { code?: unknown }).code === 'string');
}

/** Prints the failure as one line on stderr and returns the exit code (2). */
export function reportUsageError(command: string | undefined, err: unknown, write: (s: string) => unknown = (s) => process.stderr.write(s)): number {
  const prefix = `dhis2-harness${command ? ` ${command}` : ''}`;
  if (isUserFacing(err)) {
    write(`${prefix}: ${oneLine(err.message)}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    write(`${prefix}: internal error: ${oneLine(message)} (set DHIS2_HARNESS_DEBUG=1 for the stack trace; please report it)\n`);
    if (process.env.DHIS2_HARNESS_DEBUG && err instanceof Error && err.stack) write(`${err.stack}\n`);
  }
  return EXIT.usage;
}
