/**
 * How `--exec` runs a command: `per-operation` starts it once per operation (the record on
 * stdin, the answer in its exit code); `persistent` keeps a small pool of long-lived processes
 * that read one NDJSON request per line and answer one NDJSON line each (docs/exec.md).
 */
import { z } from 'zod';

export const EXEC_MODES = ['per-operation', 'persistent'] as const;
export type ExecMode = (typeof EXEC_MODES)[number];

/** Processes a persistent pool may start (lazily: only as many as operations run at once). */
export const DEFAULT_POOL_SIZE = 8;
export const MAX_POOL_SIZE = 64;

export const execOptionsSchema = z
  .object({
    mode: z.enum(EXEC_MODES).default('per-operation'),
    poolSize: z.number().int().min(1).max(MAX_POOL_SIZE).default(DEFAULT_POOL_SIZE),
    timeoutMs: z.number().int().positive().default(20_000),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
  })
  .strict();

export type ExecOptions = z.input<typeof execOptionsSchema>;
export type ResolvedExecOptions = z.output<typeof execOptionsSchema>;

/** Bad exec options: says which and what is allowed. */
export class InvalidExecOptionsError extends Error {
  readonly code = 'INVALID_EXEC_OPTIONS';
}

export function parseExecOptions(input: unknown): ResolvedExecOptions {
  const parsed = execOptionsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
  throw new InvalidExecOptionsError(`Invalid exec options (${issues}). mode is ${EXEC_MODES.join(' or ')}; poolSize is 1…${MAX_POOL_SIZE}.`);
}

/** The environment an operation's program sees (both modes; in persistent mode it travels in the request line). */
export function operationEnv(ctx: { baseUrl: string; username: string; password: string; dhis2Version?: string }): Record<string, string> {
  return {
    DHIS2_BASE_URL: ctx.baseUrl,
    DHIS2_USERNAME: ctx.username,
    DHIS2_PASSWORD: ctx.password,
    ...(ctx.dhis2Version ? { DHIS2_VERSION: ctx.dhis2Version } : {}),
  };
}
