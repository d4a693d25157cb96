/**
 * The fenced code blocks of the README and the docs, and the marker before each that says how the
 * suite covers it (so a recipe cannot rot):
 *   <!-- doc-test: ID -->     run by a test that asks for docBlock('ID')
 *   <!-- doc-file: PATH -->   the block is the file PATH of the repository, verbatim; a test runs the file
 *   <!-- doc-output -->       what a command prints: nothing to run
 *   <!-- doc-skip: REASON --> not run, and why
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The pages this suite keeps honest (other pages join the list once their blocks are marked). */
export const CHECKED_DOCS = [
  'README.md',
  'docs/README.md',
  'docs/emulator.md',
  'docs/fault-plans.md',
  'docs/scenarios.md',
  'docs/verify.md',
  'docs/hammer.md',
  'docs/core.md',
  'docs/benchmarks.md',
  'docs/exec.md',
  'docs/openfn.md',
  'docs/enrollments-events.md',
  'docs/conformance.md',
];

export type Marker = { kind: 'test'; id: string } | { kind: 'file'; path: string } | { kind: 'output' } | { kind: 'skip'; reason: string };

export interface DocBlock {
  /** repository-relative markdown file */
  file: string;
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  code: string;
  marker?: Marker;
}

function markerOf(line: string | undefined): Marker | undefined {
  const m = /^<!--\s*doc-(test|file|output|skip)(?::\s*(.*?))?\s*-->$/.exec(line?.trim() ?? '');
  if (!m) return undefined;
  if (m[1] === 'output') return { kind: 'output' };
  if (!m[2]) return undefined;
  if (m[1] === 'test') return { kind: 'test', id: m[2] };
  if (m[1] === 'file') return { kind: 'file', path: m[2] };
  return { kind: 'skip', reason: m[2] };
}

export function blocksOf(file: string): DocBlock[] {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l === '```');
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block that never closes`);
    out.push({ file, line: i + 1, lang: open[1], code: lines.slice(i + 1, end).join('\n'), marker: markerOf(lines[i - 1]) });
    i = end;
  }
  return out;
}

export function allBlocks(): DocBlock[] {
  return CHECKED_DOCS.flatMap(blocksOf);
}

/** The block marked `<!-- doc-test: ID -->` (exactly one across the checked pages). */
export function docBlock(id: string): DocBlock {
  const found = allBlocks().filter((b) => b.marker?.kind === 'test' && b.marker.id === id);
  if (found.length !== 1) throw new Error(`expected one block marked <!-- doc-test: ${id} -->, found ${found.length}`);
  return found[0];
}

/** The block that includes the recipe file `repoPath`. */
export function fileBlock(repoPath: string): DocBlock {
  const found = allBlocks().filter((b) => b.marker?.kind === 'file' && b.marker.path === repoPath);
  if (found.length === 0) throw new Error(`no block is marked <!-- doc-file: ${repoPath} -->`);
  return found[0];
}

/** A shell block's commands: one per line, without comment lines and `  # trailing comments`. */
export function commandsOf(block: DocBlock): string[] {
  return block.code
    .split('\n')
    .map((l) => l.replace(/\s{2,}#\s.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
