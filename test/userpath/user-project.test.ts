/**
 * Issue 12, "use it from your own project": the package as a user gets it. A copy of the checkout
 * is packed (`npm pack`, whose prepare script builds dist/ from the sources under test), the
 * tarball installed into a fresh project next to it, and the commands and recipes of the README
 * and the docs run there as written, in the order a new user meets them: the naive upsert's
 * counterexample, vitest, --exec, scenarios, the emulator, the core, the fix, CI.
 *
 * The only substitutions are mechanical: the install block's `npm ci` is left out (the copy of
 * the checkout links the repository's node_modules), `http://127.0.0.1:8080` becomes the URL of
 * the emulator this test started with the docs' own `npx dhis2-harness serve` (plus `--port 0`,
 * so parallel runs never collide), and the CI recipe's `npm ci` step is left out (the project was
 * just installed). One `npm install` from the registry (cache first); generous limits, no timing.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf, docBlock, fileBlock, ROOT } from '../docs/doc-blocks.js';
import { background, sh, type Ran, type Server } from './shell.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; files: string[] };
const root = mkdtempSync(path.join(tmpdir(), 'dhis2-userpath-'));
const clone = path.join(root, 'dhis2-upsert-harness');
const project = path.join(root, 'my-sync');
const MINUTES = 60_000;
let server: Server | undefined;

const bin = path.join(root, 'bin');
/** PATH with `bin` first: python3 there is the user's own interpreter, minus a version manager's shim */
let pathEnv: Record<string, string> = {};

const show = (r: Ran) => `exit ${r.code}\n--- stdout\n${r.out.slice(-5000)}\n--- stderr\n${r.err.slice(-5000)}`;
/** The seed the README's first verify runs with here (FC_SEED overrides it, like every property test). */
const FIRST_VERIFY_SEED = Number(process.env.FC_SEED ?? 17);
/** Runs in the project; every verify there without --seed takes the one seed, as in a CI job that pins it. */
const inProject = (command: string, env?: Record<string, string>) =>
  sh(command, project, { env: { ...pathEnv, DHIS2_HARNESS_SEED: String(FIRST_VERIFY_SEED), ...env }, timeoutMs: 8 * MINUTES });

/** Saves a recipe into the project as the docs show it (the block, which is the file verbatim). */
function save(repoPath: string, as = path.basename(repoPath)): void {
  mkdirSync(path.dirname(path.join(project, as)), { recursive: true });
  writeFileSync(path.join(project, as), `${fileBlock(repoPath).code}\n`);
}

/** The block's commands, after checking they are still the ones this test knows how to judge. */
function commands(id: string, expected: string[]): string[] {
  const found = commandsOf(docBlock(id));
  expect(found, `the commands of <!-- doc-test: ${id} --> changed: update this test's expectations`).toEqual(expected);
  return found;
}

const withServer = (text: string) => text.replaceAll('http://127.0.0.1:8080', server!.url);

beforeAll(async () => {
  // a "clone": what npm pack needs, the sources under test, the repository's installed node_modules
  mkdirSync(clone);
  const entries = new Set([...pkg.files.filter((f) => f !== 'dist'), 'src', 'mock-server', 'package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json']);
  for (const entry of entries) cpSync(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  const lines = docBlock('install').code.split('\n').filter((l) => !l.startsWith('#'));
  expect(lines[0]).toBe('npm ci');
  const r = await sh(['set -e', ...lines.slice(1)].join('\n'), clone, { timeoutMs: 15 * MINUTES });
  expect(r.code, show(r)).toBe(0);
  // `--exec "python3 upsert.py"` starts python3 once per operation: through a shim (pyenv's costs
  // seconds per start on a busy machine) that alone takes minutes, so link the interpreter itself
  const python = await sh('python3 -c "import sys; print(sys.executable)"', root);
  if (python.code === 0 && python.out.trim()) {
    mkdirSync(bin);
    symlinkSync(python.out.trim(), path.join(bin, 'python3'));
    pathEnv = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  }
}, 20 * MINUTES);

afterAll(async () => {
  await server?.stop();
  if (!process.env.KEEP_USERPATH) rmSync(root, { recursive: true, force: true });
}, 2 * MINUTES);

describe('a fresh project with the packed package (README "Use it in your project")', { timeout: 10 * MINUTES }, () => {
  it('has the bin (--version), every export, and a tarball without tests or benchmark results', async () => {
    const version = await inProject('npx dhis2-harness --version');
    expect(version.out.trim(), show(version)).toBe(pkg.version);
    const listing = (await inProject(`tar -tzf vendor/${pkg.name}-${pkg.version}.tgz`)).out.split('\n');
    for (const f of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/vitest.js', 'dist/mock-server/index.js', 'bin/dhis2-harness.js', 'scenarios/two-concurrent-runs.json', 'docs/README.md']) {
      expect(listing).toContain(`package/${f}`);
    }
    // the recipes under docs/ are the user's files (upsert.test.mjs among them); nothing of the package's own tests
    expect(listing.filter((f) => /^package\/(test|bench|dist\/test|dist\/bench|reports)\//.test(f) || (!f.startsWith('package/docs/') && /\.test\.[cm]?[jt]s$|vitest-results/.test(f)))).toEqual([]);
    const probe = `node --input-type=module -e "
      import { createRequire } from 'node:module';
      const core = await import('dhis2-upsert-harness');
      const mock = await import('dhis2-upsert-harness/mock-server');
      const { version } = createRequire(process.cwd() + '/')('dhis2-upsert-harness/package.json');
      console.log(typeof core.upsertTrackedEntity, typeof core.upsertMany, typeof core.Dhis2Client, typeof core.verifyUpsert, typeof mock.createMockDhis2, version);
    "`;
    const imports = await inProject(probe);
    expect(imports.out.trim(), show(imports)).toBe(`function function function function function ${pkg.version}`);
  });

  it('its types: a TypeScript file using the core typechecks, and a wrong option is a type error', async () => {
    writeFileSync(
      path.join(project, 'types-ok.ts'),
      `import { AmbiguousMatchError, Dhis2Client, upsertMany, upsertTrackedEntity, verifyUpsert, type UpsertRecord, type UpsertResult } from 'dhis2-upsert-harness';
import { createMockDhis2 } from 'dhis2-upsert-harness/mock-server';
import { useMockDhis2 } from 'dhis2-upsert-harness/vitest';
const client = new Dhis2Client({ baseUrl: 'http://127.0.0.1:1', auth: { token: 'd2pat_x' } });
const record: UpsertRecord = { trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', matchAttribute: 'lZGmxYbs97q', attributes: [{ attribute: 'lZGmxYbs97q', value: 'N' }] };
export const one: Promise<UpsertResult> = upsertTrackedEntity(client, record, { api: 'tracker', retry: { maxAttempts: 2 } });
export const many = upsertMany(client, [record], { batchSize: 10 }).then((r) => r.results.map((i) => (i.ok ? i.action : i.error.message)));
export const isAmbiguous = (e: unknown) => e instanceof AmbiguousMatchError && e.uids.length > 1;
export const verified = verifyUpsert(async (r) => r.matchAttribute, { seed: 1, numRuns: 1 }).then((r) => r.ok);
export const mock = createMockDhis2({ dhis2Version: '2.40', uniqueness: 'racy' });
export const helper: typeof useMockDhis2 = useMockDhis2;
`,
    );
    writeFileSync(path.join(project, 'types-wrong.ts'), `import { Dhis2Client, upsertTrackedEntity } from 'dhis2-upsert-harness';\nexport const p = upsertTrackedEntity(new Dhis2Client({ baseUrl: 'x', auth: { token: 't' } }), { trackedEntityType: 'a', orgUnit: 'b', matchAttribute: 'c', attributes: [] }, { api: 'soap' });\n`);
    const tsc = `node ${path.join(ROOT, 'node_modules/typescript/bin/tsc')} --noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext --skipLibCheck`;
    const ok = await inProject(`${tsc} types-ok.ts`);
    expect(ok.code, show(ok)).toBe(0);
    const wrong = await inProject(`${tsc} types-wrong.ts`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/types-wrong\.ts.*error TS2322: Type '"soap"' is not assignable/);
  });

  it('the naive upsert of the README: verify finds the DUPLICATE, and the printed replay command runs as pasted', async () => {
    save('docs/recipes/first-counterexample/upsert.mjs', 'upsert.mjs');
    const [verify] = commands('first-verify', ['npx dhis2-harness verify --module ./upsert.mjs']);
    // the README's command verbatim; its seed comes from the environment, as a CI job pins it
    const r = await inProject(verify);
    expect(r.code, show(r)).toBe(1);
    expect(r.out).toContain(`(seed ${FIRST_VERIFY_SEED},`);
    // a naive upsert ends in a duplicate patient or in two patients merged (a key matched at the
    // wrong facility), always shrunk to one or two operations
    expect(r.out).toMatch(/^✘ FAIL: (DUPLICATE|MERGED)\b/m);
    expect(r.out).toMatch(/^Smallest counterexample \(\w+ run\): .*\b[12] op\(s\)/m);
    expect(r.err).not.toMatch(/\n\s+at /); // progress on stderr, never a stack trace
    expect(existsSync(path.join(project, 'dhis2-harness-counterexample.json'))).toBe(true);
    const replay = /^\s+(npx dhis2-harness verify --module \.\/upsert\.mjs --seed \d+ --path \S+.*)$/m.exec(r.out);
    expect(replay, 'the replay line').not.toBeNull();
    const again = await inProject(`${replay![1]} --no-save`);
    expect(again.code, show(again)).toBe(1);
    expect(again.out).toMatch(new RegExp(`^✘ FAIL: ${/^✘ FAIL: (\w+)/m.exec(r.out)![1]}\\b`, 'm'));
  });

  it('docs/verify.md: --replay, --exec with the README\'s Python upsert, and a built-in (same command as the README\'s "Any language")', async () => {
    save('docs/recipes/first-counterexample/upsert.py', 'upsert.py');
    expect((await inProject('command -v python3')).code, 'python3 runs the README\'s --exec recipe').toBe(0);
    const [, replay, exec, builtin] = commands('verify-commands', [
      'npx dhis2-harness verify --module ./upsert.mjs',
      'npx dhis2-harness verify --replay dhis2-harness-counterexample.json',
      'npx dhis2-harness verify --exec "python3 upsert.py"',
      'npx dhis2-harness verify --implementation naiveSearchThenCreate --seed 2',
    ]);
    expect(commands('exec-verify', [exec])).toEqual([exec]);
    // independent commands, side by side: most of their time is spent waiting on processes and sockets
    const runs = [replay, exec, builtin].map(async (command) => ({ command, r: await inProject(command) }));
    for (const { command, r } of await Promise.all(runs)) {
      expect(r.code, `${command}\n${show(r)}`).toBe(1);
      expect(r.out, command).toMatch(/^✘ FAIL: (DUPLICATE|MERGED)\b/m);
    }
  });

  it('the vitest recipe fails on the naive upsert, and its message is the whole counterexample', async () => {
    save('docs/recipes/first-counterexample/upsert.test.mjs');
    const [vitest] = commands('vitest-run', ['npx vitest run']);
    const r = await inProject(vitest);
    const text = r.out + r.err;
    expect(r.code, show(r)).toBe(1);
    expect(text).toMatch(/1 failed \| 1 passed/);
    expect(text).toMatch(/FAIL: (DUPLICATE|MERGED)\b/);
    expect(text).toContain('Smallest counterexample');
  });

  it('docs/scenarios.md: your scenario file (XFAIL as declared), a library file with an HTML report, --exec with JUnit', async () => {
    save('docs/recipes/scenarios/sync-started-twice.json', 'scenarios/sync-started-twice.json');
    const [mine, library, exec] = commands('run-commands', [
      'npx dhis2-harness run',
      'npx dhis2-harness run node_modules/dhis2-upsert-harness/scenarios/two-concurrent-runs.json --html report.html',
      'npx dhis2-harness run scenarios/ --exec "python3 upsert.py" --junit junit.xml',
    ]);
    const own = await inProject(mine);
    expect(own.code, show(own)).toBe(0);
    expect(own.out).toMatch(/sync-started-twice\s+robust\s+PASS/);
    expect(own.out).toMatch(/sync-started-twice\s+module:\S*upsert\.mjs\s+XFAIL/);
    const lib = await inProject(library);
    expect(lib.code, show(lib)).toBe(0);
    expect(readFileSync(path.join(project, 'report.html'), 'utf8')).toMatch(/class="interleaving"[\s\S]*search → 0/);
    const py = await inProject(exec);
    expect(py.code, show(py)).toBe(1);
    expect(readFileSync(path.join(project, 'junit.xml'), 'utf8')).toMatch(/<testsuites name="dhis2-harness run" tests="1" failures="1"/);
  });

  it('docs/verify.md "In code": verifyUpsert from a script', async () => {
    save('docs/recipes/verify/verify-in-code.mjs');
    const [node] = commands('verify-in-code-run', ['node verify-in-code.mjs']);
    const r = await inProject(node);
    expect(r.code, show(r)).toBe(1);
    expect(r.out).toMatch(/^✘ FAIL: .*DUPLICATE/m);
  });
});

describe('the emulator (docs/emulator.md, docs/fault-plans.md)', { timeout: 10 * MINUTES }, () => {
  it('serve: both commands start an emulator of the version they ask for and stop cleanly', async () => {
    const [plain, configured] = commands('serve', ['npx dhis2-harness serve', 'npx dhis2-harness serve --dhis2-version 2.37 --port 0 --uniqueness atomic --seed 7']);
    server = await background(`${plain} --port 0`, project);
    expect(server.ready).toMatch(/^DHIS2 mock ready at http:\/\/127\.0\.0\.1:\d+ \(DHIS2 2\.40\)$/);
    const other = await background(configured, project);
    expect(other.ready).toMatch(/\(DHIS2 2\.37\)$/);
    await other.stop();
    await expect(fetch(`${other.url}/api/system/info`)).rejects.toThrow(); // stopped: nothing listens any more
  });

  it('curl: create, search, merge-update, the 409 for a second National ID, soft delete, the journal', async () => {
    const r = await inProject(withServer(docBlock('curl-legacy').code));
    expect(r.code, show(r)).toBe(0);
    expect(r.out).toMatch(/"trackedEntityInstance":"PQfMcpmXeFE"/);
    expect(r.out).toMatch(/Non-unique attribute value/);
    expect(r.out).toMatch(/"ok":true/);
  });

  it('the walk-through: racing naive upserts, then a response lost after the commit', async () => {
    const r = await inProject(withServer(docBlock('walkthrough').code));
    expect(r.code, show(r)).toBe(0);
    expect(r.out).toMatch(/NID-\d+ create → HTTP 200/);
    expect(r.err).toMatch(/curl: \(52\) Empty reply from server/);
    expect(r.out).toMatch(/"kind":"drop-after-commit"[^}]*"committed":true/);
  });

  it('in-process: createMockDhis2 from dhis2-upsert-harness/mock-server', async () => {
    save('docs/recipes/in-process.mjs');
    const [node] = commands('in-process-run', ['node in-process.mjs']);
    const r = await inProject(node);
    expect(r.code, show(r)).toBe(0);
    expect(r.out).toMatch(/^DHIS2 2\.41\.\d+ at http:\/\/127\.0\.0\.1:\d+\nno duplicates\n$/);
  });

  it('the fault plan example starts an emulator with --faults', async () => {
    writeFileSync(path.join(project, 'fault-plan.json'), docBlock('fault-plan-example').code);
    const s = await background('npx dhis2-harness serve --faults fault-plan.json --port 0', project);
    const plan = (await (await fetch(`${s.url}/__admin/faults`)).json()) as { rules: { kind: string }[] };
    await s.stop();
    expect(plan.rules.map((r) => r.kind)).toEqual(['error-after-commit']);
  });
});

describe('the core (docs/core.md)', { timeout: 10 * MINUTES }, () => {
  const env = () => ({ DHIS2_BASE_URL: server!.url, DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district' });

  it('upsertTrackedEntity: created, then unchanged', async () => {
    save('docs/recipes/core/upsert-one.mjs');
    const [first, second] = commands('core-one', ['node upsert-one.mjs', 'node upsert-one.mjs']);
    const a = await inProject(first, env());
    const uid = /^created (\w{11}) in \d+ request\(s\) through the tracker API\n$/.exec(a.out)?.[1];
    expect(uid, show(a)).toBeDefined();
    const b = await inProject(second, env());
    expect(b.out, show(b)).toMatch(new RegExp(`^unchanged ${uid} in \\d+ request\\(s\\) through the tracker API\n$`));
  });

  it('upsertMany: 120 created, and the one bad record fails alone with its code', async () => {
    save('docs/recipes/core/upsert-many.mjs');
    const [node] = commands('core-many', ['node upsert-many.mjs']);
    const r = await inProject(node, env());
    expect(r.code, show(r)).toBe(0);
    expect(r.out).toMatch(/^120 created, 0 updated, 0 unchanged, 1 failed; \d+ HTTP requests$/m);
    expect(r.out).toMatch(/^record 120: INVALID_RECORD: /m);
  });

  it('dhis2-harness upsert: NDJSON (exit 0), CSV with a failed row (exit 1, failures file), NDJSON again (unchanged)', async () => {
    for (const f of ['people.ndjson', 'people.csv', 'mapping.json']) save(`docs/recipes/core/${f}`);
    const lines = commands('upsert-cli', [
      'export DHIS2_BASE_URL=http://127.0.0.1:8080 DHIS2_USERNAME=admin DHIS2_PASSWORD=district',
      'npx dhis2-harness upsert --file people.ndjson',
      'npx dhis2-harness upsert --file people.csv --mapping mapping.json --failures failed.ndjson',
      'npx dhis2-harness upsert --file people.ndjson',
    ]);
    const script = [withServer(lines[0]), ...lines.slice(1).map((l) => `${l}; echo "[exit $?]"`)].join('\n');
    const r = await inProject(script);
    expect([...r.out.matchAll(/\[exit (\d+)\]/g)].map((m) => Number(m[1])), show(r)).toEqual([0, 1, 0]);
    const summaries = r.out.split('\n').filter((l) => l.startsWith('upsert '));
    expect(summaries[0]).toMatch(/2 created, 0 updated, 0 unchanged, 0 failed/);
    expect(summaries[1]).toMatch(/1 created, 1 updated, 0 unchanged, 1 failed/);
    expect(summaries[2]).toMatch(/0 created, 0 updated, 2 unchanged, 0 failed/);
    const failed = readFileSync(path.join(project, 'failed.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(failed).toEqual([{ line: 4, error: expect.stringMatching(/^INVALID_RECORD: /), input: { national_id: 'NID-4004', first_name: 'Esi', last_name: 'Owusu', facility: 'nowhere' } }]);
  });
});

describe('the fixed upsert (README): hammer, then CI', { timeout: 10 * MINUTES }, () => {
  it('the README\'s fix replaces upsert.mjs; hammer passes it against the running emulator and runs a built-in on its own', async () => {
    save('docs/recipes/first-counterexample/fixed-upsert.mjs', 'upsert.mjs');
    const [target, embedded] = commands('hammer', [
      'DHIS2_USERNAME=admin DHIS2_PASSWORD=district npx dhis2-harness hammer --target http://127.0.0.1:8080 --records 20 --concurrency 4 --module ./upsert.mjs',
      'npx dhis2-harness hammer --implementation naiveSearchThenCreate --records 10',
    ]);
    const r = await inProject(withServer(target));
    expect(r.code, show(r)).toBe(0);
    expect(r.out).toMatch(/^PASS: 20 record\(s\) × 4 concurrent upsert\(s\) through module:\S+upsert\.mjs/);
    // real concurrency: whether the naive upsert duplicates this time is up to timing
    const e = await inProject(embedded);
    expect([0, 1], show(e)).toContain(e.code);
    expect(e.out).toMatch(/^(PASS|FAIL): 10 record\(s\) × 4 concurrent upsert\(s\) through reference:naiveSearchThenCreate/);
  });

  it('the CI recipe: every run step after npm ci passes (the vitest recipe too, now), and writes its reports; the README\'s two commands are among them', async () => {
    save('docs/recipes/first-counterexample/dhis2-harness.yml', '.github/workflows/dhis2-harness.yml');
    const steps = [...fileBlock('docs/recipes/first-counterexample/dhis2-harness.yml').code.matchAll(/^\s+- run: (.+)$/gm)].map((m) => m[1]);
    expect(steps.slice(0, 2)).toEqual(['npm ci', ...commandsOf(docBlock('vitest-run'))]);
    // the steps are independent (each writes its own files): side by side
    // the job's env as the README suggests it: a pinned seed, and a shorter budget (10 s) for the passing verify
    const runs = await Promise.all(steps.slice(1).map(async (step) => ({ step, r: await inProject(step, { DHIS2_HARNESS_TIME_LIMIT: '10' }) })));
    for (const { step, r } of runs) {
      expect(r.code, `${step}\n${show(r)}`).toBe(0);
      if (step === 'npx vitest run') expect(r.out + r.err).toMatch(/2 passed/);
    }
    expect(readFileSync(path.join(project, 'junit.xml'), 'utf8')).toMatch(/<testsuites name="dhis2-harness run" tests="\d+" failures="0" errors="0"/);
    expect(existsSync(path.join(project, 'dhis2-report.html'))).toBe(true);
    for (const command of commandsOf(docBlock('two-commands'))) {
      expect(steps.some((s) => s.startsWith(command)), command).toBe(true);
    }
  });
});

describe.runIf(process.env.DHIS2_HARNESS_TEST_GIT_INSTALL === '1')('install from a git URL (opt-in: a full devDependency install and build, minutes)', () => {
  it('npm install git+file://<checkout> builds the package with prepare; the bin runs', async () => {
    const dir = path.join(root, 'from-git');
    mkdirSync(dir);
    const r = await sh(`npm init -y >/dev/null && npm install --save-dev "git+file://${ROOT}" && npx dhis2-harness --version`, dir, { timeoutMs: 20 * MINUTES });
    expect(r.code, show(r)).toBe(0);
    expect(r.out.trim().split('\n').pop()).toBe(pkg.version);
  }, 25 * MINUTES);
});
