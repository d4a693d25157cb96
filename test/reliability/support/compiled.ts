/**
 * The emulator and the CLI as plain JavaScript for tests that need them in a child process
 * (SIGKILL, signals, exit codes): `mock-server/**\/*.ts` and `src/**\/*.ts` transpiled (no type
 * check) into node_modules/.cache, keyed by a hash of the sources, so the child always runs the
 * code under test, never a stale dist/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_DIRS = ['mock-server', 'src'];
/** bump when the transpile settings change, so old builds are not reused */
const BUILD_FORMAT = 'esm-es2022-2';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Directory holding `mock-server/…` as JavaScript; built once per source state. */
export function compiledEmulator(): string {
  const files = SOURCE_DIRS.flatMap((d) => sources(join(ROOT, d))).sort();
  const hash = createHash('sha256').update(BUILD_FORMAT).update(ts.version);
  const texts = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    hash.update(relative(ROOT, f)).update('\0').update(text).update('\0');
    return text;
  });
  const out = join(ROOT, 'node_modules', '.cache', 'dhis2-reliability', hash.digest('hex').slice(0, 16));
  if (existsSync(join(out, 'complete'))) {
    pruneOldBuilds(dirname(out), 3);
    return out;
  }
  const tmp = `${out}.${process.pid}.${Date.now()}`;
  files.forEach((f, i) => {
    const js = ts.transpileModule(texts[i], {
      fileName: f,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const target = join(tmp, relative(ROOT, f)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  });
  // ESM: the transpiled files use `import`, so the folder needs a module package.json
  writeFileSync(join(tmp, 'package.json'), '{"type":"module"}');
  writeFileSync(join(tmp, 'complete'), '');
  try {
    renameSync(tmp, out);
  } catch {
    // another test file built the same sources at the same time: use theirs
    rmSync(tmp, { recursive: true, force: true });
  }
  pruneOldBuilds(dirname(out), 3);
  return out;
}

/** Every edit of the sources makes a new build: keep the newest few. */
function pruneOldBuilds(cache: string, keep: number): void {
  const builds = readdirSync(cache, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[0-9a-f]{16}$/.test(d.name))
    .map((d) => ({ path: join(cache, d.name), at: statSync(join(cache, d.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(keep)) rmSync(old.path, { recursive: true, force: true });
}
