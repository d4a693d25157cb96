/**
 * CLI-free start-up of the emulator as a process: bind (127.0.0.1 unless told otherwise), print
 * the ready line, and on SIGINT/SIGTERM stop gracefully: refuse new connections, let requests in
 * flight finish (bounded), then flush `--db` one last time.
 *
 * Also a process entry of its own, for benches and crash tests:
 *   node dist/mock-server/server.js '{"port":0,"db":"state.json","uniqueness":"atomic"}'
 */
import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
  /** graceful stop; resolves once the last save is on disk */
  stop(): Promise<void>;
}

/** Starts the emulator on its own HTTP server. Options are validated like createMockDhis2's. */
export async function startMockServer(input: StartServerOptions = {}): Promise<RunningServer> {
  const { drainMs = 5000, ...mockInput } = input;
  const { host, port } = parseMockOptions(stripNonOptions(mockInput));
  const mock = await createMockDhis2(mockInput);
  const server = createServer(mock.app);
  answerClientErrors(server);
  server.keepAliveTimeout = 5000;
  // requests in flight per socket, so stop() can close idle keep-alive sockets at once
  const busy = new Map<Socket, number>();
  let stopping = false;
  let drained: (() => void) | null = null;
  const inFlight = () => [...busy.values()].reduce((a, b) => a + b, 0);
  const maybeDrained = () => {
    if (drained && inFlight() === 0) drained();
  };
  server.on('connection', (socket: Socket) => {
    busy.set(socket, 0);
    socket.on('close', () => busy.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.on('close', () => {
      const n = (busy.get(socket) ?? 1) - 1;
      if (busy.has(socket)) busy.set(socket, n);
      if (stopping && n === 0) socket.destroy();
      if (stopping) maybeDrained();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, n] of busy) if (n === 0) socket.destroy();
      if (inFlight() > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      for (const socket of busy.keys()) socket.destroy();
      await closed;
      // every commit made by a request that got to run is in this save
      await mock.runtime.persistence.save();
    })();
    return stopped;
  };
  const readyLine = `DHIS2 mock ready at ${url} (DHIS2 ${mock.runtime.ctx.version.label})`;
  return { url, mock, server, readyLine, stop };
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
    process.stdout.write(`${running.readyLine}\n`);
    process.stderr.write(`seed ${running.mock.seed}; uniqueness ${running.mock.runtime.ctx.uniqueness.mode}; admin API at ${running.url}/__admin\n`);
    stopOnSignals(running, (error) => {
      if (error) process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
      process.exit(error ? 1 : 0);
    });
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
