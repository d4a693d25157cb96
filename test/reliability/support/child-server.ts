/** The emulator in a child process (mock-server/server.ts as its entry), for kill and signal tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledEmulator } from './compiled.js';

const READY = /^DHIS2 mock ready at (http:\/\/\S+) \(DHIS2 [\d.]+\)$/m;

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  /** resolves with the exit code or signal once the process has gone */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startChildServer(options: Record<string, unknown>, timeoutMs = 20_000): Promise<ChildServer> {
  const entry = join(compiledEmulator(), 'mock-server', 'server.js');
  const child = spawn(process.execPath, [entry, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not print its ready line within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
  return { url, child, output: () => out, exited };
}

export interface ChildStartAttempt {
  /** the ready line was printed (the child was then stopped with SIGTERM) */
  ready: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the emulator in a child and reports how the start went: either it printed its ready line
 * (then it is stopped with SIGTERM and `ready` is true) or it exited on its own. For start-up
 * refusals: exit code, the exact stderr, and no ready line. `as` runs the child as another user.
 */
export async function attemptChildStart(options: Record<string, unknown>, as?: { uid: number; gid: number }, timeoutMs = 20_000): Promise<ChildStartAttempt> {
  const entry = join(compiledEmulator(), 'mock-server', 'server.js');
  const child = spawn(process.execPath, [entry, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'], ...as });
  let stdout = '';
  let stderr = '';
  let ready = false;
  child.stdout!.on('data', (d) => {
    stdout += d;
    if (!ready && READY.test(stdout)) {
      ready = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { ready, code, stdout, stderr };
}

/**
 * `dhis2-harness ARGS` in a child (the CLI's `main`, transpiled from the sources), in `cwd`.
 * Resolves once it printed the emulator's ready line; `exited` settles with its exit.
 */
export function spawnCli(args: string[], cwd: string): { child: ChildProcess; output(): string; ready: Promise<string | null>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const cli = pathToFileURL(join(compiledEmulator(), 'src', 'cli.js')).href;
  const script = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string | null>((resolve) => {
    const check = () => {
      const m = READY.exec(out);
      if (m) {
        child.stdout!.off('data', check);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => resolve(READY.exec(out)?.[1] ?? null));
  });
  return { child, output: () => out, ready, exited };
}

/** Whether the compiled emulator can be started as that user (its files reachable, not only the folder under test). */
export function canRunAs(as: { uid: number; gid: number }): boolean {
  const entry = join(compiledEmulator(), 'mock-server', 'server.js');
  return spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(entry)}, require('fs').constants.R_OK)`], { ...as, stdio: 'ignore' }).status === 0;
}
