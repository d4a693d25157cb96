/** A command-line mistake: printed without a stack, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
}

export function parseIntOption(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} must be a non-negative integer, got '${value}'.`);
  return Number(value);
}
