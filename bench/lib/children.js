// Child processes of the bench: servers under test (ready line on stdout) and one-shot workers
// (last stdout line is JSON). Every child is killed by its pid when the bench is done with it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));

// children still running when the bench ends or is interrupted are killed, by their own handles
const live = new Set();
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
process.once('SIGINT', () => process.exit(130));
const READY = /ready at (http:\/\/127\.0\.0\.1:\d+)/;

/** Starts `bench/<script>` and resolves with its URL once it prints its ready line. */
export function startServer(script, args = [], { nodeArgs = [], timeoutMs = 120_000 } = {}) {
  const child = track(spawn(process.execPath, [...nodeArgs, here(script), ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} did not get ready in ${timeoutMs} ms: ${stderr}`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code} before it was ready: ${stderr}`)); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = READY.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      let pending = null;
      let buffered = '';
      child.stdout.on('data', (chunk) => {
        buffered += chunk;
        const c = /cpu (\d+) (\d+)\n/.exec(buffered);
        if (c && pending) {
          buffered = '';
          const p = pending;
          pending = null;
          p(Number(c[1]) + Number(c[2]));
        }
        if (buffered.length > 10_000) buffered = buffered.slice(-200);
      });
      resolve({
        url: m[1],
        pid: child.pid,
        /** the server's CPU time so far, in microseconds (user + system) */
        cpu: () => new Promise((done) => {
          pending = done;
          child.kill('SIGUSR2');
        }),
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => { clearTimeout(kill); done(); });
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

/** Runs `bench/<script> <json>` to completion and parses its last stdout line. */
export function runWorker(script, input, { nodeArgs = [], timeoutMs = 180_000 } = {}) {
  const child = track(spawn(process.execPath, [...nodeArgs, here(script), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} took longer than ${timeoutMs} ms`)); }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${err || out}`));
      try { resolve(JSON.parse(last)); } catch { reject(new Error(`${script} printed no JSON result: ${out.slice(-500)} ${err}`)); }
    });
  });
}
