/** The emulator in a child process (mock-server/server.ts as its entry), for kill and signal tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
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
