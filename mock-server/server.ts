/**
 * CLI-free start-up of the emulator as a process: bind (127.0.0.1 unless told otherwise), print
 * the ready line, and on SIGINT/SIGTERM stop gracefully: refuse new connections, let requests in
 * flight finish (bounded), then flush `--db` one last time.
 *
 * Also a process entry of its own, for benches and crash tests:
 *   node dist/mock-server/server.js '{"port":0,"db":"state.json","uniqueness":"atomic"}'
 */
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseMockOptions } from './config.js';
import { answerClientErrors } from './client-errors.js';
import { createMockDhis2, type CreateMockOptions, type MockDhis2 } from './mock.js';

export { answerClientErrors };

export interface StartServerOptions extends CreateMockOptions {
  /** how long stop() waits for requests in flight before cutting them, in ms (default 5000) */
  drainMs?: number;
}

export interface RunningServer {
  /** http://HOST:PORT */
  url: string;
  mock: MockDhis2;
  server: Server;
  /** the line printed when ready: `DHIS2 mock ready at URL (DHIS2 V)` */
  readyLine: string;
  /** graceful stop (mock.close(): drain, last save, lock released); resolves once the save is on disk */
  stop(): Promise<void>;
}

/** Starts the emulator on its own HTTP server. Options are validated like createMockDhis2's. */
export async function startMockServer(input: StartServerOptions = {}): Promise<RunningServer> {
  const { drainMs = 5000, ...mockInput } = input;
  const { host, port } = parseMockOptions(stripNonOptions(mockInput));
  const mock = await createMockDhis2(mockInput);
  let url: string;
  try {
    url = await mock.listen(port, host);
  } catch (e) {
    // the port is taken, say: let go of --db's lock before reporting it
    await mock.close();
    throw e;
  }
  const readyLine = `DHIS2 mock ready at ${url} (DHIS2 ${mock.runtime.ctx.version.label})`;
  return { url, mock, server: mock.server!, readyLine, stop: () => mock.close({ drainMs }) };
}

/** createMockDhis2's non-serialisable extras are not part of the option schema. */
function stripNonOptions(input: CreateMockOptions): Record<string, unknown> {
  const { fixture: _f, raceHook: _r, log: _l, ...rest } = input;
  return rest;
}

/** Stops the server on SIGINT/SIGTERM, then calls `onStopped` (the process entry exits there). */
export function stopOnSignals(running: RunningServer, onStopped: (error?: unknown) => void): void {
  const handler = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    running.stop().then(() => onStopped(), onStopped);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function main(argv: string[]): Promise<void> {
  let input: StartServerOptions;
  try {
    input = argv[0] ? (JSON.parse(argv[0]) as StartServerOptions) : {};
  } catch (e) {
    process.stderr.write(`server.js takes one JSON argument with createMockDhis2 options: ${(e as Error).message}\n`);
    process.exit(2);
  }
  try {
    const running = await startMockServer(input);
    // handlers first: a supervisor may answer the ready line with SIGTERM at once, and without a
    // handler that signal would end the process unsaved (seen under load in the db-file test)
    stopOnSignals(running, (error) => {
      if (error) process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
      process.exit(error ? 1 : 0);
    });
    process.stdout.write(`${running.readyLine}\n`);
    process.stderr.write(`seed ${running.mock.seed}; uniqueness ${running.mock.runtime.ctx.uniqueness.mode}; admin API at ${running.url}/__admin\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}

function isProcessEntry(): boolean {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isProcessEntry()) void main(process.argv.slice(2));
