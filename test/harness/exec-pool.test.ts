import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closeImplementation, execImplementation, type ExecImplementation } from '../../src/harness/exec-adapter.js';
import { InvalidExecOptionsError } from '../../src/harness/exec-options.js';
import { classifyError, extractUid } from '../../src/harness/history.js';
import type { HarnessRecord, UpsertContext } from '../../src/harness/types.js';
import { docBlock } from '../docs/doc-blocks.js';

const probe = `node ${fileURLToPath(new URL('../fixtures/exec/persistent-probe.mjs', import.meta.url))}`;
const base = { trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', matchAttribute: 'lZGmxYbs97q', attributes: [{ attribute: 'lZGmxYbs97q', value: 'NID-1' }] };
const rec = (behaviour: string, extra: object = {}) => ({ ...base, behaviour, ...extra }) as unknown as HarnessRecord;

function ctxWith(extra: Partial<UpsertContext> = {}): UpsertContext & { logs: string[] } {
  const logs: string[] = [];
  return { baseUrl: 'http://127.0.0.1:9/g1-op-1', username: 'admin', password: 'district', dhis2Version: '2.40', log: (l) => logs.push(l), logs, ...extra };
}

const opened: ExecImplementation[] = [];
function pool(poolSize = 4, timeoutMs = 20_000): ExecImplementation {
  const impl = execImplementation(probe, { mode: 'persistent', poolSize, timeoutMs });
  opened.push(impl);
  return impl;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((i) => closeImplementation(i)));
});

const pidOf = async (p: Promise<unknown>) => ((await p) as { pid: number }).pid;
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: Error & { code?: string }) => e);
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('--exec-mode persistent (interfaces.md: one NDJSON request per line in, one answer per line out)', () => {
  it('sends {id, record, env} and takes {ok:true, result}; the UID is read from the result', async () => {
    const impl = pool();
    const result = (await impl(rec('ok'), ctxWith())) as { env: Record<string, string>; record: unknown };
    expect(result.env).toEqual({ DHIS2_BASE_URL: 'http://127.0.0.1:9/g1-op-1', DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district', DHIS2_VERSION: '2.40' });
    expect(result.record).toEqual(rec('ok'));
    expect(extractUid(result)).toBe('G0wYYhBIqZs');
  });

  it('one process serves one operation after another (it is not started per operation)', async () => {
    const impl = pool();
    const pids = [];
    for (let i = 0; i < 4; i++) pids.push(await pidOf(impl(rec('ok'), ctxWith())));
    expect(new Set(pids).size).toBe(1);
  });

  it('routes ctx.client to process client % poolSize: different clients, different processes', async () => {
    const impl = pool(3);
    const a = await pidOf(impl(rec('ok'), ctxWith({ client: 0 })));
    const b = await pidOf(impl(rec('ok'), ctxWith({ client: 1 })));
    const a2 = await pidOf(impl(rec('ok'), ctxWith({ client: 3 })));
    const b2 = await pidOf(impl(rec('ok'), ctxWith({ client: 1 })));
    expect(a).not.toBe(b);
    expect([a2, b2]).toEqual([a, b]);
  });

  it('two clients on one process: the second waits, and its log says to enlarge the pool', async () => {
    const impl = pool(1);
    const dir = mkdtempSync(join(tmpdir(), 'pool-shared-'));
    const second = ctxWith({ client: 1 });
    // a barrier for one: the first operation answers at once; the second had to wait for it
    await Promise.all([impl(rec('barrier', { dir, n: 1 }), ctxWith({ client: 0 })), impl(rec('ok'), second)]);
    expect(second.logs.some((l) => /waited for process 1, busy with another client's operation: use --exec-pool 2 or more/.test(l))).toBe(true);
  });

  it('operations without a client run at the same time in separate processes (a barrier only concurrent processes pass)', async () => {
    const impl = pool(3);
    const dir = mkdtempSync(join(tmpdir(), 'pool-barrier-'));
    const pids = await Promise.all([0, 1, 2].map(() => pidOf(impl(rec('barrier', { dir, n: 3 }), ctxWith()))));
    expect(new Set(pids).size).toBe(3);
  });

  it('stderr lines become the log of the operation in flight; start-up lines go to the first operation', async () => {
    const impl = pool(1);
    const first = ctxWith();
    await impl(rec('stderr'), first);
    expect(first.logs).toEqual([expect.stringMatching(/^probe \d+ started$/), 'first line', 'second line']);
    const second = ctxWith();
    await impl(rec('stderr'), second);
    expect(second.logs).toEqual(['first line', 'second line']);
  });

  it.each([
    ['a line that is not JSON', 'garbage', /not JSON/],
    ['an answer for another request', 'wrong-id', /answered request id/],
    ['an answer without ok', 'no-ok', /not \{"id":…,"ok":true\|false/],
    ['an exit (the message ends with the last stderr line)', 'exit', /exited with code 3 before answering: ValueError: the record is broken$/],
  ])('%s fails the operation as unknown, and the next operation gets a new process', async (_n, behaviour, message) => {
    const impl = pool(1);
    const before = await pidOf(impl(rec('ok'), ctxWith()));
    const err = await failure(impl(rec(behaviour), ctxWith()));
    expect(err.code).toBe('EXEC_FAILED');
    expect(err.message).toMatch(message);
    expect(classifyError(err)).toBe('unknown');
    const next = ctxWith();
    const after = await pidOf(impl(rec('ok'), next));
    expect(after).not.toBe(before);
    expect(next.logs[0]).toMatch(/^\[dhis2-harness\] started a new process: the previous one /);
  });

  it('a process that does not answer in time fails the operation (unknown) and is killed', async () => {
    // (a replaced process serving the next operation is shown by the protocol cases above; here a
    // second operation would race the short time limit on a loaded machine)
    const impl = pool(1, 300);
    const err = await failure(impl(rec('hang'), ctxWith()));
    expect(err.message).toMatch(/did not answer within 300 ms/);
    expect(classifyError(err)).toBe('unknown');
  });

  it('an operation the harness aborts fails at once and its process is killed', async () => {
    const impl = pool(1);
    const ac = new AbortController();
    const pending = failure(impl(rec('hang'), ctxWith({ signal: ac.signal })));
    ac.abort();
    expect((await pending).message).toMatch(/aborted/);
  });

  it.each([
    ['ok:false', 'fail', 'unknown'],
    ['ok:false with outcomeUnknown:false', 'fail-definite', 'fail'],
  ])('%s is a failure whose outcome is %s', async (_n, behaviour, outcome) => {
    const err = await failure(pool()(rec(behaviour), ctxWith()));
    expect(err.message).toMatch(/reported a failure: POST answered 409/);
    expect(classifyError(err)).toBe(outcome === 'fail' ? 'fail' : 'unknown');
  });

  it('close() ends every process, and later operations fail', async () => {
    const impl = pool(2);
    const pids = await Promise.all([0, 1].map((client) => pidOf(impl(rec('ok'), ctxWith({ client })))));
    expect(pids.every(isRunning)).toBe(true);
    await impl.close();
    expect(pids.some(isRunning)).toBe(false);
    expect((await failure(impl(rec('ok'), ctxWith()))).message).toMatch(/closed/);
  });

  it('a command that cannot start fails each operation with its shell error', async () => {
    const impl = execImplementation('exec /nonexistent/upsert', { mode: 'persistent' });
    opened.push(impl);
    const err = await failure(impl(rec('ok'), ctxWith()));
    expect(err.message).toMatch(/before answering: .*nonexistent/);
  });
});

describe('exec options are validated at the boundary', () => {
  it.each([
    ['an unknown mode', { mode: 'sometimes' }],
    ['an empty pool', { mode: 'persistent', poolSize: 0 }],
    ['an unknown option', { mode: 'persistent', workers: 2 }],
  ])('%s is refused', (_n, options) => {
    expect(() => execImplementation('true', options as never)).toThrow(InvalidExecOptionsError);
  });
});

describe('docs/exec.md: the request and the answers it shows are what the harness sends and reads', () => {
  it('the request line: id, record and env, with the record\'s and the environment\'s fields', async () => {
    const shown = JSON.parse(docBlock('exec-request').code) as { id: unknown; record: Record<string, unknown> & { attributes: object[] }; env: object };
    const { request: sent } = (await pool()(rec('request'), ctxWith())) as { request: typeof shown };
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(shown)).toEqual(keys(sent));
    expect(typeof shown.id).toBe(typeof sent.id);
    expect(keys(shown.record)).toEqual(keys(base));
    expect(keys(shown.record.attributes[0])).toEqual(keys(base.attributes[0]));
    expect(keys(shown.env)).toEqual(keys(sent.env));
  });

  it('each answer line is read as the text says: a UID; a failure of unknown outcome; a definite failure', async () => {
    const answers = docBlock('exec-answers').code.split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean; error?: string });
    expect(answers.map((a) => a.ok)).toEqual([true, false, false]);
    const impl = pool();
    const reply = (answer: object) => impl(rec('answer', { answer }), ctxWith());
    expect(extractUid(await reply(answers[0]))).toBe('G0wYYhBIqZs');
    const unknown = await failure(reply(answers[1]));
    expect(unknown.message).toContain(answers[1].error);
    expect(classifyError(unknown)).toBe('unknown');
    const definite = await failure(reply(answers[2]));
    expect(classifyError(definite)).toBe('fail');
  });
});
