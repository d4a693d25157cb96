/**
 * Loads a user's upsert module for `dhis2-harness verify --module FILE`: the default export (or
 * an export named `upsert`) must be a function `(record, ctx) => Promise`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Implementation } from './types.js';

export class ModuleLoadError extends Error {
  readonly code = 'MODULE_LOAD';
}

export async function loadImplementation(file: string, cwd = process.cwd()): Promise<Implementation> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new ModuleLoadError(`No module at ${path}: pass a JavaScript file whose default export is (record, ctx) => Promise.`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
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
