/**
 * Loads a user's upsert module for `dhis2-harness verify --module FILE`: the default export (or
 * an export named `upsert`) must be a function `(record, ctx) => Promise` (with `--batch`,
 * `(records, ctx) => Promise<results>`). Every simulated job run gets a freshly evaluated copy of
 * the module, so its module-level state (caches, tokens, in-process locks) is its own, as a
 * separate process's would be.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BatchImplementation, Implementation, ImplementationSource } from './types.js';

export class ModuleLoadError extends Error {
  readonly code = 'MODULE_LOAD';
}

let instanceCounter = 0;

async function importFunction(path: string, query: string): Promise<Implementation> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href + query)) as Record<string, unknown>;
  } catch (e) {
    const hint = /\.(c|m)?ts$/.test(path) ? ' Plain Node 20 cannot load TypeScript: compile it to .js/.mjs first, or run the CLI through a TypeScript loader (e.g. `node --import tsx`).' : '';
    throw new ModuleLoadError(`Cannot load ${path}: ${(e as Error).message}.${hint}`);
  }
  const fn = typeof mod.default === 'function' ? mod.default : typeof mod.upsert === 'function' ? mod.upsert : (mod.default as Record<string, unknown> | undefined)?.default;
  if (typeof fn !== 'function') {
    throw new ModuleLoadError(`${path} has no function to verify: export default async function (record, ctx) { … } (or export a function named \`upsert\`).`);
  }
  return fn as Implementation;
}

/** The module's function, loaded once (for scenarios and simple uses). */
export async function loadImplementation(file: string, cwd = process.cwd()): Promise<Implementation> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new ModuleLoadError(`No module at ${path}: pass a JavaScript file whose default export is (record, ctx) => Promise.`);
  return importFunction(path, '');
}

/** A source that evaluates the module afresh for every simulated job run (checked once up front). */
export async function loadImplementationSource(file: string, options: { batch?: boolean; cwd?: string } = {}): Promise<ImplementationSource> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  if (!existsSync(path)) throw new ModuleLoadError(`No module at ${path}: pass a JavaScript file whose default export is (record, ctx) => Promise.`);
  await importFunction(path, '');
  return {
    kind: options.batch ? 'batch' : 'single',
    instance: async () => (await importFunction(path, `?dhis2-harness-job-run=${++instanceCounter}`)) as Implementation | BatchImplementation,
  };
}
