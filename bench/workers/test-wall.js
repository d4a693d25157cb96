// `npm test` wall time: the README's test command in a child process, as a user (and .ci/run) runs
// it, with the suite's own pass/fail count. Input: {}; output: one JSON line.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const t0 = performance.now();
const code = await new Promise((resolve) => {
  const child = spawn('npm', ['test', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, CI: 'true' } });
  child.once('exit', (c) => resolve(c));
});
const wallS = (performance.now() - t0) / 1000;
let passed = null;
let failed = null;
try {
  const r = JSON.parse(readFileSync(`${root}.vitest-results.json`, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
} catch {
  // the suite wrote no JSON report: the counts stay unknown
}
process.stdout.write(`${JSON.stringify({ exitCode: code, wallS, passed, failed })}\n`);
process.exit(0);
