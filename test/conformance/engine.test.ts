import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { MockDhis2 } from '../../mock-server/index.js';
import { ALL_CASES } from '../../src/conformance/cases/index.js';
import { resolvePath } from '../../src/conformance/json-path.js';
import { check } from '../../src/conformance/matchers.js';
import { inRange, parseRelease } from '../../src/conformance/release.js';
import { ConformanceSetupError, runConformance, serverRoot } from '../../src/conformance/run.js';
import { expand, TemplateError } from '../../src/conformance/template.js';
import { AREAS, defineCases, type ConformanceCase } from '../../src/conformance/types.js';
import { announceSeed } from '../properties/fc-config.js';
import { brokenProxy, emulatorRun, listeningEmulator } from './support.js';

const mocks: MockDhis2[] = [];
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
});
const emulator = async (version: string) => {
  const e = await listeningEmulator(version);
  mocks.push(e.mock);
  return e;
};
const byId = (ids: string[]) => ALL_CASES.filter((c) => ids.includes(c.id));

describe('the case catalogue', () => {
  it('ids are unique, every case cites its source, every area of the issue has cases', () => {
    const ids = ALL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ALL_CASES) expect(c.source.length, c.id).toBeGreaterThan(0);
    for (const area of AREAS) expect(ALL_CASES.some((c) => c.area === area), area).toBe(true);
  });

  it('a malformed case is rejected at load with its id', () => {
    const bad = { id: 'x.bad', title: 't', area: 'system', source: ['s'], needs: 'read-only', steps: [{ name: 's', request: { method: 'GET', path: 'no-slash' }, expect: { status: 200 } }] };
    expect(() => defineCases([bad as unknown as ConformanceCase])).toThrow(/x\.bad is malformed: .*path/);
  });
});

describe('matchers, paths, templates, releases', () => {
  const vars = { uid: 'Abcdefghij1', row: { a: 1, attributes: [{ v: 1 }] } };
  it.each([
    [{ equals: '{{uid}}' }, 'Abcdefghij1', true], [{ equals: '{{uid}}' }, 'x', false],
    [{ matches: '^A' }, 'Abc', true], [{ matches: '^A' }, 'bc', false],
    [{ startsWith: 'ab' }, 'abc', true], [{ endsWith: 'bc' }, 'abc', true], [{ endsWith: 'x' }, 'abc', false],
    [{ contains: 2 }, [1, 2], true], [{ contains: 'b' }, 'abc', true], [{ contains: 3 }, [1, 2], false],
    [{ type: 'number' }, 3, true], [{ type: 'array' }, {}, false], [{ length: 2 }, [1, 2], true], [{ minLength: 3 }, [1, 2], false],
    [{ keys: ['b', 'a'] }, { a: 1, b: 2 }, true], [{ keys: ['a'] }, { a: 1, b: 2 }, false],
    [{ oneOf: [1, 2] }, 2, true], [{ every: { type: 'string' } }, ['a', 'b'], true], [{ every: { type: 'string' } }, ['a', 1], false],
    [{ present: true }, null, true], [{ absent: true }, null, false],
  ] as const)('%j on %j → %s', (m, value, holds) => {
    expect(check({ exists: true, value }, m as never, vars) === undefined).toBe(holds);
  });

  it('absent and present tell a missing key from a null one', () => {
    expect(check(resolvePath({ a: null }, 'a'), { absent: true }, {})).toMatch(/expected no value/);
    expect(check(resolvePath({}, 'a'), { absent: true }, {})).toBeUndefined();
    expect(check(resolvePath({}, 'a'), { equals: 1 }, {})).toBe('expected 1, got nothing');
  });

  it('paths walk objects, indexes and [key=value] selectors (nested keys too)', () => {
    const body = { list: [{ plural: 'a', x: { id: 'p' }, v: 1 }, { plural: 'b', x: { id: 'q' }, v: 2 }] };
    expect(resolvePath(body, 'list[plural=b].v')).toEqual({ exists: true, value: 2 });
    expect(resolvePath(body, 'list[x.id=p].v')).toEqual({ exists: true, value: 1 });
    expect(resolvePath(body, 'list.1.plural')).toEqual({ exists: true, value: 'b' });
    expect(resolvePath(body, 'list[plural=c].v').exists).toBe(false);
    expect(resolvePath(body, 'list.7').exists).toBe(false);
    expect(resolvePath(body, '$')).toEqual({ exists: true, value: body });
  });

  it('templates: whole values keep their type, $spread and $concat build bodies, a missing variable is an error', () => {
    expect(expand('{{row}}', vars)).toEqual({ a: 1, attributes: [{ v: 1 }] });
    expect(expand('id={{uid}}', vars)).toBe('id=Abcdefghij1');
    expect(expand({ $spread: '{{row}}', a: 2, attributes: { $concat: ['{{row.attributes}}', [{ v: 2 }]] } }, vars))
      .toEqual({ a: 2, attributes: [{ v: 1 }, { v: 2 }] });
    expect(() => expand('{{nope}}', vars)).toThrow(TemplateError);
  });

  it('release ranges: whole minors, patch bounds, dev builds', () => {
    const r = (v: string) => parseRelease(v);
    expect(inRange(r('2.40.12'), { to: '2.40' })).toBe(true);
    expect(inRange(r('2.39.5'), { from: '2.39.6' })).toBe(false);
    expect(inRange(r('2.41-SNAPSHOT'), { from: '2.41', to: '2.41' })).toBe(true);
    expect(inRange(r('2.35.0'), { from: '2.36' })).toBe(false);
    expect(() => parseRelease('unknown')).toThrow(/Cannot read a DHIS2 release/);
  });

  it('serverRoot drops a trailing /api or /api/NN; a non-http URL is a setup error', () => {
    expect(serverRoot('http://h:1/dhis/api/40/')).toBe('http://h:1/dhis');
    expect(serverRoot('https://h/api')).toBe('https://h');
    expect(() => serverRoot('ftp://h')).toThrow(ConformanceSetupError);
    expect(() => serverRoot('not a url')).toThrow(ConformanceSetupError);
  });

  it('property: a release is in a range exactly when from ≤ release ≤ to by minor', () => {
    const seed = announceSeed('conformance');
    fc.assert(fc.property(fc.integer({ min: 35, max: 45 }), fc.integer({ min: 35, max: 45 }), fc.integer({ min: 35, max: 45 }), (m, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return inRange(parseRelease(`2.${m}.3`), { from: `2.${lo}`, to: `2.${hi}` }) === (m >= lo && m <= hi);
    }), { seed, numRuns: 200 });
  });
});

describe('the engine catches a server that differs (deliberately broken variants)', () => {
  it('a server that lies about its release fails the release-specific cases', async () => {
    const { mock } = await emulator('2.40');
    const proxy = await brokenProxy(mock, (req) => (req.url?.startsWith('/api/system/info')
      ? { status: 200, body: JSON.stringify({ version: '2.36.13' }) } : undefined));
    try {
      const report = await runConformance({ ...emulatorRun(proxy.url), cases: byId(['versions.prefix-40', 'tracker.jobs.unknown-report', 'versions.prefix-99']) });
      expect(report.results.map((r) => [r.id, r.status])).toEqual([
        ['versions.prefix-99', 'pass'], ['versions.prefix-40', 'fail'], ['tracker.jobs.unknown-report', 'fail'],
      ]);
      expect(report.results[1].detail).toMatch(/status: expected 404, got 200/);
    } finally {
      await proxy.close();
    }
  });

  it('a server without /api/resources fails the cases language-dhis2 depends on', async () => {
    const { mock } = await emulator('2.36');
    const proxy = await brokenProxy(mock, (req) => (req.url?.startsWith('/api/resources') ? { status: 404, body: '{}' } : undefined));
    try {
      const report = await runConformance({ ...emulatorRun(proxy.url), cases: byId(['discovery.resources.tracked-entity-instances', 'client.language-dhis2-2.0.11.upsert-create']) });
      expect(report.counts).toEqual({ pass: 0, fail: 2, skip: 0 });
      expect(report.results[1].detail).toMatch(/step "resource index/);
    } finally {
      await proxy.close();
    }
  });

  it('skips say why: writes not allowed, no restricted user, another release', async () => {
    const { url } = await emulator('2.41');
    const report = await runConformance({ url, username: 'admin', password: 'district', cases: byId(['delete.legacy-frees-unique-value', 'doubtful.legacy-put-outside-scope', 'auth.token.before-2.37']) });
    expect(report.counts).toEqual({ pass: 0, fail: 0, skip: 3 });
    const reasons = Object.fromEntries(report.results.map((r) => [r.id, r.detail]));
    expect(reasons['auth.token.before-2.37']).toBe('applies to ≤ 2.36');
    expect(reasons['delete.legacy-frees-unique-value']).toMatch(/--allow-writes/);
    expect(reasons['doubtful.legacy-put-outside-scope']).toMatch(/--allow-writes/);
    const withWrites = await runConformance({ url, username: 'admin', password: 'district', allowWrites: true, cases: byId(['doubtful.legacy-put-outside-scope']) });
    expect(withWrites.results[0].detail).toMatch(/needs a restricted user/);
  });

  it('wrong credentials or an unreachable server are setup errors, not failures', async () => {
    const { url } = await emulator('2.40');
    await expect(runConformance({ url, username: 'admin', password: 'nope' })).rejects.toThrow(/answered 401 \(check --username and --password\)/);
    const { mock } = await emulator('2.40');
    const gone = await brokenProxy(mock, () => undefined);
    await gone.close();
    await expect(runConformance({ url: gone.url, username: 'admin', password: 'district', timeoutMs: 2000 })).rejects.toThrow(ConformanceSetupError);
  });
});

describe('authoring errors', () => {
  it('a template naming no variable fails that case, with the variable named, and the run goes on', async () => {
    const { url } = await emulator('2.40');
    const [broken] = defineCases([{ id: 'x.typo', title: 'typo', area: 'system', source: ['test'], needs: 'read-only', steps: [{ name: 'me', request: { method: 'GET', path: '/api/{{orgUnitt}}' }, expect: { status: 200 } }] }]);
    const report = await runConformance({ url, username: 'admin', password: 'district', cases: [broken, ...byId(['system.ping'])] });
    expect(report.results.map((r) => [r.id, r.status, r.detail])).toEqual([
      ['x.typo', 'fail', "step \"me\": No value for {{orgUnitt}}: 'orgUnitt' is missing."],
      ['system.ping', 'pass', undefined],
    ]);
  });
});
