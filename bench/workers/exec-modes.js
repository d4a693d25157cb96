// `verify --exec` runs per second, per-operation vs persistent, side by side in one run: the same
// search-then-create upsert in Python and in shell (docs/recipes), the same seed and the same
// workloads (--runs N --concurrent-runs 0), through the real CLI. Input: { runs, timeLimitS, seed };
// output: one JSON line with a figure per (script, mode) and the persistent/per-operation ratios.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const { runs = 20, timeLimitS = 90, seed = 42 } = JSON.parse(process.argv[2] ?? '{}');
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/dhis2-harness.js', import.meta.url));

const scripts = {
  python: 'python3 docs/recipes/upsert_persistent.py',
  shell: 'sh docs/recipes/upsert-persistent.sh',
};

function verify(command, mode) {
  const args = [cli, 'verify', '--exec', mode === 'persistent' ? command : `${command} --once`, '--exec-mode', mode,
    '--seed', String(seed), '--runs', String(runs), '--concurrent-runs', '0', '--time-limit', String(timeLimitS), '--json', '--no-save', '--quiet'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
    child.once('exit', (code) => {
      try {
        const r = JSON.parse(out);
        resolve({ exitCode: code, verdict: r.verdict, runs: r.runs, durationMs: r.durationMs, runsPerSecond: r.runsPerSecond, interrupted: !!r.interrupted,
          findings: [...new Set((r.counterexample?.findings ?? []).map((f) => f.code))], storyOps: r.counterexample?.history?.ops?.length ?? null });
      } catch {
        reject(new Error(`verify --exec-mode ${mode} (${command}) exited ${code} without a JSON report: ${err}`));
      }
    });
  });
}

function tool(cmd, args) {
  try {
    // python3 --version answers on stdout, older ones on stderr
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0] || null;
  } catch {
    return null;
  }
}

const results = { runs, seed, timeLimitS, python: tool('python3', ['--version']), jq: tool('jq', ['--version']), curl: tool('curl', ['--version']) };
for (const [name, command] of Object.entries(scripts)) {
  results[name] = {};
  // persistent first, then per-operation: both see the same machine within a minute or two
  for (const mode of ['persistent', 'per-operation']) {
    process.stderr.write(`[exec-modes] ${name} ${mode} …\n`);
    results[name][mode] = await verify(command, mode);
  }
  const p = results[name].persistent.runsPerSecond;
  const o = results[name]['per-operation'].runsPerSecond;
  results[name].ratio = p && o ? p / o : null;
}
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
