/**
 * Reads scenario files. Every problem names the file, the JSON path and what was expected, so a
 * user fixes a scenario without reading this code.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { checkReferences } from './references.js';
import { scenarioSchema, type Scenario } from './schema.js';

export interface ScenarioIssue {
  /** `operations[1].concurrent[0].upsert`; `$` for the whole file */
  path: string;
  message: string;
}

/** `operations[0].upsert: no record named "bob"`; a problem of the whole file has no path. */
export function describeIssue(i: ScenarioIssue): string {
  return i.path === '$' ? i.message : `${i.path}: ${i.message}`;
}

/** A scenario file that cannot be read, parsed or validated. */
export class ScenarioFileError extends Error {
  readonly code = 'INVALID_SCENARIO';
  constructor(
    readonly file: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${file}: ${issues.map(describeIssue).join('\n  ')}`);
    this.name = 'ScenarioFileError';
  }
}

export interface LoadedScenario {
  file: string;
  /** the file name without `.json`: the scenario's id in reports */
  name: string;
  scenario: Scenario;
}

export const validatingSchema = scenarioSchema.superRefine(checkReferences);

export function jsonPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const part of p) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '$';
}

type Issue = z.core.$ZodIssue;

/** A union's most plausible branch: fewest issues, then the deepest ones (the branch the author meant). */
function bestBranch(branches: Issue[][]): Issue[] {
  const depth = (list: Issue[]) => Math.max(0, ...list.map((i) => i.path.length));
  return [...branches].sort((a, b) => a.length - b.length || depth(b) - depth(a))[0] ?? [];
}

function flatten(issue: Issue, prefix: readonly PropertyKey[]): ScenarioIssue[] {
  const here = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const inner = bestBranch(issue.errors as unknown as Issue[][]).flatMap((i) => flatten(i, here));
    const custom = issue.message !== 'Invalid input' ? issue.message : undefined;
    if (!custom) return inner;
    return inner.length > 0 ? inner.map((i) => ({ ...i, message: `${i.message} (${custom})` })) : [{ path: jsonPath(here), message: custom }];
  }
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling against scenario.schema.json`;
  else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = `required: expected ${issue.expected}`;
  return [{ path: jsonPath(here), message }];
}

export function issuesOf(error: z.ZodError): ScenarioIssue[] {
  return error.issues.flatMap((i) => flatten(i, []));
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = '$';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = `line ${line} column ${Number(pos[1]) - before.lastIndexOf('\n')}`;
    }
    throw new ScenarioFileError(file, [{ path: where, message: `not valid JSON (${msg}); JSON has no comments: put notes in "description" or "seenIn"` }]);
  }
}

/** Validates parsed JSON; throws ScenarioFileError. */
export function parseScenario(file: string, data: unknown): LoadedScenario {
  const result = validatingSchema.safeParse(data);
  if (!result.success) throw new ScenarioFileError(file, issuesOf(result.error));
  return { file, name: path.basename(file).replace(/\.json$/i, ''), scenario: result.data };
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (code ?? (e as Error).message);
    throw new ScenarioFileError(file, [{ path: '$', message: `cannot read the file: ${why}` }]);
  }
  return parseScenario(file, parseJson(file, text));
}

const isScenarioFile = (name: string) => name.endsWith('.json') && !name.endsWith('.schema.json');

/** Files and directories → scenario files, in a stable order (a directory's `*.json`, sorted). */
export async function expandScenarioPaths(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      throw new ScenarioFileError(input, [{ path: '$', message: 'no such file or directory' }]);
    }
    if (info.isDirectory()) {
      const names = (await readdir(input)).filter(isScenarioFile).sort();
      if (names.length === 0) throw new ScenarioFileError(input, [{ path: '$', message: 'the directory holds no *.json scenario files' }]);
      out.push(...names.map((n) => path.join(input, n)));
    } else {
      out.push(input);
    }
  }
  return [...new Set(out)];
}
