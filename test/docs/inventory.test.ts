/**
 * Docs that cannot rot (issue 12): every code block of the README and the docs says how the suite
 * covers it, every included recipe file is shown verbatim, every `doc-test` block is claimed by a
 * test, links point at files that exist, and what can be checked without running (fault plans,
 * a scenario file, the tarball name) is checked here. The blocks themselves run in
 * test/userpath/user-project.test.ts, in a fresh project that installs the packed package, and, for
 * docs/exec.md, docs/openfn.md, docs/conformance.md and docs/enrollments-events.md, in
 * test/docs/docs-commands.test.ts, test/harness/exec-pool.test.ts, test/conformance/cli.test.ts and
 * test/mock-server/docs-enrollments-events.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, parseFaultPlan } from '../../mock-server/faults/index.js';
import { parseScenario } from '../../src/harness/scenario/load.js';
import { allBlocks, CHECKED_DOCS, docBlock, ROOT } from './doc-blocks.js';

/** Pages other branches add; linked from here before they land (none pending now). */
const PENDING_PAGES = new Set<string>([]);

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const p = path.posix.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

describe('every code block in the README and the docs is covered', () => {
  const blocks = allBlocks();

  it('each block carries a marker: doc-test, doc-file, doc-output or doc-skip with a reason', () => {
    const unmarked = blocks.filter((b) => !b.marker).map((b) => `${b.file}:${b.line}`);
    expect(unmarked, 'put <!-- doc-test: ID -->, <!-- doc-file: PATH -->, <!-- doc-output --> or <!-- doc-skip: REASON --> on the line before each block').toEqual([]);
    expect(blocks.length).toBeGreaterThan(20);
  });

  it('a doc-file block is its file, verbatim', () => {
    for (const b of blocks) {
      if (b.marker?.kind !== 'file') continue;
      const where = `${b.file}:${b.line} (${b.marker.path})`;
      expect(existsSync(path.join(ROOT, b.marker.path)), where).toBe(true);
      expect(b.code, `${where}: the block differs from the file; copy the file into the block`).toBe(read(b.marker.path).replace(/\n$/, ''));
    }
  });

  it('every recipe file is shown somewhere (no orphan recipe that nobody reads)', () => {
    const shown = new Set(blocks.flatMap((b) => (b.marker?.kind === 'file' ? [b.marker.path] : [])));
    expect(filesUnder('docs/recipes').filter((f) => !shown.has(f))).toEqual([]);
  });

  it('doc-test ids are unique, and each is run by a test that asks for it', () => {
    const ids = blocks.flatMap((b) => (b.marker?.kind === 'test' ? [b.marker.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    const tests = filesUnder('test').filter((f) => f.endsWith('.test.ts')).map(read).join('\n');
    // asked for by docBlock('ID') or, in the user-project test, commands('ID', …)
    const claimed = new Set([...tests.matchAll(/(?:docBlock|commands)\('([^']+)'/g)].map((m) => m[1]));
    expect(ids.filter((id) => !claimed.has(id)), 'a doc-test block no test runs').toEqual([]);
  });

  it('skips are few and say why', () => {
    const skips = blocks.filter((b) => b.marker?.kind === 'skip');
    for (const b of skips) expect((b.marker as { reason: string }).reason.length, `${b.file}:${b.line}`).toBeGreaterThan(20);
    expect(skips.length).toBeLessThanOrEqual(2);
  });
});

describe('links', () => {
  it('every relative link of the checked pages points at a file that exists (or a page another branch adds)', () => {
    const broken: string[] = [];
    for (const page of CHECKED_DOCS) {
      for (const m of read(page).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
        if (!existsSync(path.join(ROOT, resolved)) && !PENDING_PAGES.has(resolved)) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the docs index links every page of docs/, and every page of docs/ is checked', () => {
    const index = read('docs/README.md');
    const pages = readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((p) => !index.includes(`](${p})`))).toEqual([]);
    expect(pages.map((p) => `docs/${p}`).filter((p) => !CHECKED_DOCS.includes(p))).toEqual([]);
  });

  it('the README links the docs index', () => {
    expect(read('README.md')).toContain('](docs/README.md)');
  });
});

describe('what is checked without running', () => {
  it('the fault plan example is a valid plan', () => {
    const plan = parseFaultPlan(JSON.parse(docBlock('fault-plan-example').code));
    expect(plan.rules).toHaveLength(1);
  });

  it('"one example per kind": each line is a valid rule, and every fault kind has one', () => {
    const rules = docBlock('fault-kinds')
      .code.split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l));
    for (const rule of rules) expect(() => parseFaultPlan({ rules: [rule] }), JSON.stringify(rule)).not.toThrow();
    expect(new Set(rules.map((r) => r.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('the scenario of "Write one in minutes" validates', () => {
    const { scenario } = parseScenario('sync-started-twice.json', JSON.parse(read('docs/recipes/scenarios/sync-started-twice.json')));
    expect(scenario.operations).toHaveLength(1);
  });

  it("the README's install block names the tarball npm pack writes for this version", () => {
    const { name, version } = JSON.parse(read('package.json')) as { name: string; version: string };
    expect(docBlock('install').code).toContain(`./vendor/${name}-${version}.tgz`);
  });
});
