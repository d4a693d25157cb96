// The version before the harness speed work, built next to this checkout so both run side by side
// in one bench: `git archive` of that commit into bench/results/baseline-<commit>/ (git ignores
// bench/results/), this checkout's node_modules linked in (the runtime dependencies did not change
// since), compiled with its own tsconfig. Built once, reused by later benches.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The commit the issue names as "the version before this work". */
export const BASELINE_COMMIT = 'c2e31f7';

/** Resolves to the baseline's dist/ folder, or throws with the reason it cannot be built here. */
export function ensureBaseline(log, commit = BASELINE_COMMIT) {
  const dir = `${ROOT}bench/results/baseline-${commit}/`;
  const dist = `${dir}dist/`;
  if (existsSync(`${dist}src/harness/index.js`)) return dist;
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(`commit ${commit} is not in this clone (a shallow clone or a tarball): fetch it to compare`);
  }
  log(`building the baseline ${commit} into bench/results/baseline-${commit}/ (once) …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'mock-server', 'src'], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(`${ROOT}node_modules`, `${dir}node_modules`, 'dir');
  execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  return dist;
}
