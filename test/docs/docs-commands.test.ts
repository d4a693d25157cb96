/**
 * Every `npx dhis2-harness …` command in docs/exec.md and docs/openfn.md runs here, in-process
 * (`main(args)` is what bin/dhis2-harness.js calls, and in-process the recipes' imports of the
 * published subpaths can be pointed at this checkout), and does what its `# → …` note says (a
 * recipe cannot rot). The commands come from the blocks marked `<!-- doc-test: ID -->`, so an edit
 * to a documented command is what runs. Notes: `PASS` (exit 0), `FAIL: CODE` (exit 1 and the
 * finding in the output), `FAIL` (exit 1), `runs` (exit 0 or 1: a real-concurrency command whose
 * finding depends on timing).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { FC_SEED } from '../properties/fc-config.js';
import { docBlock, type DocBlock } from './doc-blocks.js';

// the recipes import the published subpaths; here they run against this checkout's source, and the
// DHIS2 adaptor (not on the registry here) is the stand-in written from real-clients.md
vi.mock('dhis2-upsert-harness/openfn', () => import('../../src/openfn/index.js'));
vi.mock('@openfn/language-dhis2', () => import('../fixtures/openfn/language-dhis2-standin.mjs'));

const fakeOpenFnCli = fileURLToPath(new URL('../fixtures/openfn/fake-openfn-cli.mjs', import.meta.url));
const savedOpenFn = process.env.OPENFN;
process.env.OPENFN = `node ${fakeOpenFnCli}`;
afterAll(() => {
  if (savedOpenFn === undefined) delete process.env.OPENFN;
  else process.env.OPENFN = savedOpenFn;
});

/** Splits a command line as /bin/sh would for the quoting the docs use ('…' and "…"). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; line[j] !== '"'; j++) word += line[j] === '\\' ? line[++j] : line[j];
      i = j;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

interface DocCommand {
  /** where the command is: page and block id */
  where: string;
  line: string;
  args: string[];
  expect: string;
}

/** The block's lines, each a `npx dhis2-harness …   # → NOTE` command (anything else is an error: it would go unrun). */
function commandsOf(block: DocBlock): DocCommand[] {
  const id = block.marker?.kind === 'test' ? block.marker.id : '?';
  return block.code
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      if (!line.startsWith('npx dhis2-harness ')) throw new Error(`${block.file}:${block.line} (${id}): not a dhis2-harness command, so nothing runs it: ${line}`);
      const [command, note] = line.split(/\s+# → /);
      return { where: `${block.file} ${id}`, line, args: shellWords(command).slice(2), expect: (note ?? '').trim() };
    });
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  // stderr joins the output: a usage error (exit 2) must show why in the failure message
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await main(args), out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const commands = [
  docBlock('exec-per-operation'),
  docBlock('exec-persistent'),
  docBlock('openfn-dhis2-verify'),
  docBlock('openfn-http-verify'),
  docBlock('openfn-tracker-verify'),
  docBlock('openfn-cli-run'),
].flatMap(commandsOf);

describe('the docs\' commands', () => {
  it('every command says what it should do, and the splitter reads quotes as sh does', () => {
    expect(commands.length).toBeGreaterThanOrEqual(10);
    for (const c of commands) expect(c.expect, `${c.where}: ${c.line}`).toMatch(/^(PASS|FAIL(: [A-Z_]+)?|runs)$/);
    expect(shellWords(`a --exec "python3 x.py --once" 'b c' d"e f"g`)).toEqual(['a', '--exec', 'python3 x.py --once', 'b c', 'de fg']);
  });

  it.each(commands.map((c) => [`${c.where}: ${c.line.replace(/\s+# → .*/, '')}`, c] as const))('%s', async (_name, c) => {
    // deterministic in CI: the suite's seed unless the command names one
    const args = c.args[0] === 'verify' ? [...c.args, '--no-save', ...(c.args.includes('--seed') ? [] : ['--seed', String(FC_SEED)])] : c.args;
    const { code, out } = await run(args);
    if (c.expect === 'PASS') expect(code, out).toBe(0);
    else if (c.expect === 'runs') expect([0, 1], out).toContain(code);
    else {
      expect(code, out).toBe(1);
      const finding = /^FAIL: (\S+)$/.exec(c.expect)?.[1];
      if (finding) expect(out).toContain(finding);
      // a failing persistent verify prints a replay command that keeps the mode
      if (c.args[0] === 'verify' && c.args.includes('persistent')) expect(out).toMatch(/dhis2-harness verify --exec \S.* --exec-mode persistent --seed \d+/);
    }
  });
});
