/** A command-line mistake: printed without a stack, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
}

export function parseIntOption(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} must be a non-negative integer, got '${value}'.`);
  return Number(value);
}

const EXEC_MODE_NAMES = ['per-operation', 'persistent'] as const;

/** `--exec-mode` and `--exec-pool`, checked here so a typo is a usage error (exit 2), not a crash. */
export function parseExecFlags(mode: string | undefined, pool: string | undefined, minPool = 1): { mode: (typeof EXEC_MODE_NAMES)[number]; poolSize?: number } {
  const m = mode ?? 'per-operation';
  if (!(EXEC_MODE_NAMES as readonly string[]).includes(m)) throw new CliUsageError(`--exec-mode takes per-operation or persistent, not '${m}'.`);
  if (pool === undefined) return { mode: m as (typeof EXEC_MODE_NAMES)[number], ...(minPool > 1 ? { poolSize: Math.min(64, Math.max(8, minPool)) } : {}) };
  const n = parseIntOption(pool, '--exec-pool');
  if (n < 1 || n > 64) throw new CliUsageError(`--exec-pool takes 1 to 64 processes, not ${n}.`);
  return { mode: m as (typeof EXEC_MODE_NAMES)[number], poolSize: n };
}
