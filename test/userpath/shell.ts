/**
 * Commands as a user types them, in a scratch project outside the repository: bash, a clean
 * environment (no npm or vitest variables of the test run leaking into npm, npx or vitest), a
 * generous time limit that kills the whole process group, and servers started in the background
 * that are found by their "ready" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** The test run's environment minus what would change how npm, npx and a nested vitest behave. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|INIT_CWD$|NODE_OPTIONS$|NODE_ENV$|TEST$|FORCE_COLOR$)/i.test(k)) continue;
    env[k] = v;
  }
  // one install from the registry, as cache-friendly as npm allows; no noise
  return { ...env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1', ...extra };
}

export function sh(command: string, cwd: string, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env: userEnv(options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      err += `\n[killed after ${options.timeoutMs ?? 300_000} ms]`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

export interface Server {
  url: string;
  /** the ready line */
  ready: string;
  process: ChildProcess;
  /** SIGTERM to the whole group (npx, its shell, the server), as Ctrl-C in a terminal would; resolves when all have exited */
  stop(): Promise<void>;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Starts `command` in its own process group and waits for `DHIS2 mock ready at URL`. */
export function background(command: string, cwd: string, timeoutMs = 120_000): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec ${command}`], { cwd, env: userEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      reject(new Error(`\`${command}\` printed no ready line in ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(DHIS2 mock ready at (http:\/\/\S+) .*)$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[2],
        ready: m[1],
        process: child,
        stop: async () => {
          signalGroup(child, 'SIGTERM');
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`\`${command}\` exited (${code}) before it was ready; stderr: ${err}`));
    });
  });
}
