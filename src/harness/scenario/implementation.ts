/**
 * Implementation specs (`robust`, `reference:<name>`, `module:<path>`, `exec:<command>`) to the
 * one function shape the harness runs, through the harness's own module loader and exec adapter.
 */
import { references } from '../../reference/index.js';
import { implementations } from '../../upsert/implementations.js';
import { execImplementation, type ExecOptions } from '../exec-adapter.js';
import { loadImplementation } from '../module-loader.js';
import type { Implementation } from '../types.js';

/** A spec that names no implementation. */
export class ImplementationSpecError extends Error {
  readonly code = 'INVALID_IMPLEMENTATION';
}

/**
 * `baseDir`: where `module:` paths are resolved and `exec:` commands run (a scenario's folder;
 * the current directory for command-line flags). `timeoutMs` bounds one exec run; `exec` picks
 * how `exec:` commands run (per operation by default, or a persistent pool the caller must close
 * with `closeImplementation`).
 */
export async function resolveImplementation(spec: string, baseDir = process.cwd(), timeoutMs?: number, exec: Pick<ExecOptions, 'mode' | 'poolSize'> = {}): Promise<Implementation> {
  if (spec === 'robust') return implementations.robust as Implementation;
  if (spec.startsWith('reference:')) {
    const name = spec.slice('reference:'.length);
    const fn = (references as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new ImplementationSpecError(`Unknown reference "${name}"; the references are ${Object.keys(references).join(', ')}.`);
    return fn as Implementation;
  }
  if (spec.startsWith('module:')) return loadImplementation(spec.slice('module:'.length).trim(), baseDir);
  if (spec.startsWith('exec:')) return execImplementation(spec.slice('exec:'.length).trim(), { cwd: baseDir, ...(timeoutMs ? { timeoutMs } : {}), ...exec });
  throw new ImplementationSpecError(`"${spec}" is not an implementation: use robust, reference:<name>, module:<path> or exec:<command>.`);
}
