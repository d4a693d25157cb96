/** Installing plans: PUT/GET/DELETE /__admin/faults, the createMockDhis2 option, and `serve --faults`. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockDhis2, InvalidFaultPlanError, type FaultPlanInput } from '../../../mock-server/index.js';
import { main } from '../../../src/cli.js';
import { emulator } from '../helpers.js';
import { until } from './live.js';

const plan: FaultPlanInput = { seed: 5, rules: [{ kind: 'rate-limit', method: 'GET', path: '/api/me', times: 1, label: 'first /me' }] };

describe('/__admin/faults', () => {
  it('PUT installs, GET shows the plan and counters, DELETE clears', async () => {
    const e = await emulator();
    const put = await e.raw.put('/__admin/faults').send(plan).expect(200);
    expect(put.body).toMatchObject({ status: 'OK', installed: true, seed: 5, message: 'Fault plan installed: 1 rule(s), seed 5.' });
    await e.get('/api/me').expect(429);
    await e.get('/api/me').expect(200);
    const got = await e.raw.get('/__admin/faults').expect(200);
    expect(got.body).toEqual({
      installed: true,
      seed: 5,
      rules: [{ index: 0, kind: 'rate-limit', label: 'first /me', matched: 1, injected: 1, active: false }],
      plan: { seed: 5, rules: [{ kind: 'rate-limit', method: 'GET', path: '/api/me', times: 1, label: 'first /me', status: 429, retryAfterSeconds: 1 }] },
    });
    await e.raw.delete('/__admin/faults').expect(200);
    expect((await e.raw.get('/__admin/faults').expect(200)).body).toEqual({ installed: false, seed: 42, rules: [], plan: null });
  });

  it.each([
    [{ rules: [{ kind: 'meteor' }] }, 'rules[0].kind: unknown fault kind "meteor"'],
    [{ rules: [{ kind: 'latency', delay: { dist: 'fixed', ms: 5 }, every: 2 }] }, 'rules[0]: Unrecognized key: "every"'],
    [[], 'plan: Invalid input: expected object, received array'],
  ])('PUT rejects a bad plan with 400 and keeps the old one (%j)', async (bad, message) => {
    const e = await emulator();
    await e.raw.put('/__admin/faults').send(plan).expect(200);
    const res = await e.raw.put('/__admin/faults').send(bad as object).expect(400);
    expect(res.body).toMatchObject({ status: 'ERROR', httpStatusCode: 400 });
    expect(res.body.message).toContain(message);
    expect((await e.raw.get('/__admin/faults').expect(200)).body.installed).toBe(true);
  });

  it('POST /__admin/reset clears the plan (interfaces.md)', async () => {
    const e = await emulator({ faults: plan });
    expect(e.mock.admin.faults.status().installed).toBe(true);
    await e.raw.post('/__admin/reset').expect(200);
    expect(e.mock.admin.faults.status().installed).toBe(false);
    await e.get('/api/me').expect(200);
  });

  it('the admin token protects the faults endpoints too', async () => {
    const e = await emulator({ adminToken: 's3cret' });
    await e.raw.put('/__admin/faults').send(plan).expect(401);
    await e.raw.put('/__admin/faults').set('Authorization', 'Bearer s3cret').send(plan).expect(200);
  });
});

describe('createMockDhis2({ faults })', () => {
  it('installs the plan at start', async () => {
    const mock = await createMockDhis2({ seed: 1, faults: plan, log: () => {} });
    expect(mock.admin.faults.status()).toMatchObject({ installed: true, seed: 5 });
  });

  it('refuses a bad plan with InvalidFaultPlanError', async () => {
    await expect(createMockDhis2({ faults: { rules: [{ kind: 'latency' }] } as never })).rejects.toThrow(InvalidFaultPlanError);
    await expect(createMockDhis2({ faults: { rules: [{ kind: 'latency' }] } as never })).rejects.toThrow(/rules\[0\]\.delay/);
  });
});

describe('dhis2-harness serve --faults', () => {
  let stderr: string[] = [];
  let stdout: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    stderr = [];
    stdout = [];
  });
  function capture() {
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (stdout.push(String(s)), true));
  }
  async function file(content: string) {
    const dir = await mkdtemp(join(tmpdir(), 'faults-'));
    const path = join(dir, 'plan.json');
    await writeFile(path, content);
    return path;
  }

  it.each([
    ['{"rules":[{"kind":"explode"}]}', /The fault plan file .*plan\.json is invalid\. Invalid fault plan: rules\[0\]\.kind: unknown fault kind "explode"/],
    ['{"rules": [', /The fault plan file .*plan\.json is not valid JSON/],
  ])('exits 2 on a bad plan file (%s)', async (content, message) => {
    const path = await file(content);
    capture();
    expect(await main(['serve', '--port', '0', '--faults', path])).toBe(2);
    expect(stderr.join('')).toMatch(message);
  });

  it('exits 2 on a bad race window or uniqueness mode', async () => {
    capture();
    expect(await main(['serve', '--port', '0', '--race-window-ms', '20'])).toBe(2);
    expect(stderr.join('')).toContain('--race-window-ms takes "min,max"');
    expect(await main(['serve', '--port', '0', '--uniqueness', 'maybe'])).toBe(2);
    expect(stderr.join('')).toContain('uniqueness');
  });

  it('serves with the plan installed and says so', async () => {
    const path = await file(JSON.stringify(plan));
    const handlers = new Map<string, () => void>();
    // serve stops through stopOnSignals (process.on / process.off): capture its signal handlers
    const on = process.on.bind(process);
    vi.spyOn(process, 'on').mockImplementation(((event: string, fn: () => void) => {
      if (event === 'SIGINT' || event === 'SIGTERM') handlers.set(event, fn);
      else on(event as 'exit', fn);
      return process;
    }) as typeof process.on);
    capture();
    const exit = main(['serve', '--port', '0', '--faults', path, '--seed', '3', '--race-window-ms', '5,50']);
    await until(() => stdout.join('').includes('DHIS2 mock ready at') && handlers.has('SIGINT'));
    const url = /ready at (\S+)/.exec(stdout.join(''))![1];
    const status = await (await fetch(`${url}/__admin/faults`)).json();
    expect(status).toMatchObject({ installed: true, seed: 5, rules: [{ kind: 'rate-limit' }] });
    const me = await fetch(`${url}/api/me`, { headers: { authorization: 'Basic ' + Buffer.from('admin:district').toString('base64') } });
    expect(me.status).toBe(429);
    expect(stderr.join('')).toContain('race window 5–50 ms');
    expect(stderr.join('')).toContain(`fault plan ${path}: rate-limit (seed 5)`);
    handlers.get('SIGINT')!();
    expect(await exit).toBe(0);
  });
});
