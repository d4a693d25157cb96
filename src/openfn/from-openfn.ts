/**
 * `fromOpenFn(execute, build, options?)`: an OpenFn job as a harness implementation. For each
 * operation the harness runs, `build(record, ctx)` returns the job's operations; they run through
 * the adaptor's own `execute` with `state.configuration` taken from the harness context and
 * `state.data` = the record (OpenFn's input convention). The tracked entity UID is read from the
 * final `state.data`, errors become typed harness errors, and the adaptor's console output becomes
 * the operation's log instead of the terminal's.
 */
import { z } from 'zod';
import type { HarnessRecord, Implementation, UpsertContext } from '../harness/types.js';
import { configurationFor } from './configuration.js';
import { captureConsole } from './console-capture.js';
import { toHarnessError } from './errors.js';
import type { OpenFnExecute, OpenFnOperation, OpenFnState } from './types.js';
import { uidFromState } from './uid.js';

const optionsSchema = z
  .object({
    /** 'auto' (default): from the emulator's DHIS2 version (2.41 → '41'); 'none': no version in paths; or a version like '40' */
    apiVersion: z.union([z.enum(['auto', 'none']), z.string().regex(/^\d{2}$/, 'a two-digit API version such as "40"')]).default('auto'),
    /** also print the adaptor's console output (it is always attached to the operation) */
    echo: z.boolean().default(false),
    /** more `state.configuration` (e.g. a PAT), or a function of the context returning it; merged over the derived one */
    configuration: z.union([z.record(z.string(), z.unknown()), z.custom<(ctx: UpsertContext) => Record<string, unknown>>((v) => typeof v === 'function')]).optional(),
  })
  .strict();

export type FromOpenFnOptions = z.input<typeof optionsSchema>;

/** Bad arguments to fromOpenFn: says which and what it takes. */
export class OpenFnSetupError extends TypeError {
  readonly code = 'OPENFN_SETUP';
}

/** The result of one operation: the UID (when the final state.data carries one) and that data. */
export interface OpenFnResult {
  uid?: string;
  data: unknown;
}

export function fromOpenFn(execute: OpenFnExecute, build: (record: HarnessRecord, ctx: UpsertContext) => OpenFnOperation | OpenFnOperation[], options: FromOpenFnOptions = {}): Implementation {
  if (typeof execute !== 'function') throw new OpenFnSetupError("fromOpenFn: the first argument must be the adaptor's execute (import { execute } from '@openfn/language-…').");
  if (typeof build !== 'function') throw new OpenFnSetupError('fromOpenFn: the second argument must be a function (record, ctx) => operation(s), e.g. (record) => upsert(…).');
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new OpenFnSetupError(`fromOpenFn: invalid options (${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}).`);
  const o = parsed.data;

  return async (record: HarnessRecord, ctx: UpsertContext): Promise<OpenFnResult> => {
    const write = (line: string) => ctx.log?.(line);
    const final = await captureConsole(write, o.echo, async () => {
      const built = build(record, ctx);
      const operations = (Array.isArray(built) ? built : [built]) as unknown[];
      if (operations.length === 0 || operations.some((op) => typeof op !== 'function')) {
        throw new OpenFnSetupError('fromOpenFn: build must return an OpenFn operation (a function of state, like upsert(…) or fn(…)) or a list of them.');
      }
      const extra = typeof o.configuration === 'function' ? o.configuration(ctx) : (o.configuration ?? {});
      const state: OpenFnState = { configuration: { ...configurationFor(ctx, o.apiVersion), ...extra }, data: structuredClone(record), references: [] };
      try {
        return await execute(...(operations as OpenFnOperation[]))(state);
      } catch (err) {
        throw toHarnessError(err);
      }
    });
    const uid = uidFromState(final);
    if (!uid) write('[dhis2-upsert-harness/openfn] the final state.data carries no tracked entity UID (see docs/openfn.md for the shapes read)');
    return { ...(uid ? { uid } : {}), data: final?.data };
  };
}
