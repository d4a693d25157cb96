import { describe, expect, it } from 'vitest';
import { execImplementation } from '../../src/harness/exec-adapter.js';
import { classifyError, extractUid } from '../../src/harness/history.js';

const record = { trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', matchAttribute: 'lZGmxYbs97q', attributes: [{ attribute: 'lZGmxYbs97q', value: "NID 'quoted'" }] };
const ctx = { baseUrl: 'http://127.0.0.1:9/op-1', username: 'admin', password: 'district' };

describe('exec adapter (interfaces.md: env DHIS2_*, record on stdin, exit 0 = success)', () => {
  it('passes the environment and the record, and returns stdout', async () => {
    const impl = execImplementation(`node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify({env:[process.env.DHIS2_BASE_URL,process.env.DHIS2_USERNAME,process.env.DHIS2_PASSWORD],record:JSON.parse(s)})))"`);
    const out = JSON.parse((await impl(record, ctx)) as string);
    expect(out.env).toEqual([ctx.baseUrl, 'admin', 'district']);
    expect(out.record).toEqual(record);
  });

  it('a non-zero exit rejects with an unknown outcome and the tail of stderr', async () => {
    const err = await execImplementation('echo boom >&2; exit 3')(record, ctx).then(() => undefined, (e) => e);
    expect(err).toMatchObject({ code: 'EXEC_FAILED', exitCode: 3 });
    expect(err.message).toContain('boom');
    expect(classifyError(err)).toBe('unknown');
  });

  it('the failure message ends with the LAST stderr line (a traceback\'s last line is the error), and every stderr line is logged', async () => {
    const logs: string[] = [];
    const err = await execImplementation(`python3 -c "raise KeyError('orgUnit')"`)(record, { ...ctx, log: (l) => logs.push(l) }).then(() => undefined, (e) => e);
    expect(err.message).toMatch(/failed \(exit code 1\): KeyError: 'orgUnit'$/);
    expect([logs[0], logs.at(-1)]).toEqual(['Traceback (most recent call last):', "KeyError: 'orgUnit'"]);
  });

  it('passes DHIS2_VERSION when the harness knows the version', async () => {
    const out = await execImplementation('printf %s "$DHIS2_VERSION"')(record, { ...ctx, dhis2Version: '2.41' });
    expect(out).toBe('2.41');
  });

  it('kills the whole process group on timeout', async () => {
    const started = Date.now();
    const err = await execImplementation('sleep 30 | cat', { timeoutMs: 200 })(record, ctx).then(() => undefined, (e) => e);
    expect(err.message).toContain('timed out');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('kills the program when the harness aborts the operation', async () => {
    const ac = new AbortController();
    const p = execImplementation('sleep 30')(record, { ...ctx, signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toThrow(/aborted by the harness/);
  });

  it.each([
    ['a bare UID', 'G0wYYhBIqZs\n', 'G0wYYhBIqZs'],
    ['a JSON object with uid', '{"uid":"G0wYYhBIqZs"}', 'G0wYYhBIqZs'],
    ['a tracker-style object', { trackedEntity: 'G0wYYhBIqZs' }, 'G0wYYhBIqZs'],
    ['no UID', 'done', undefined],
  ])('extractUid: %s', (_n, value, uid) => {
    expect(extractUid(value)).toBe(uid);
  });
});
