import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImplementation } from '../../src/harness/module-loader.js';

describe('module loader (dhis2-harness verify --module)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-mod-'));
  it('loads the default export', async () => {
    writeFileSync(join(dir, 'a.mjs'), 'export default async (record) => ({ uid: "G0wYYhBIqZs", n: record.attributes.length });');
    const fn = await loadImplementation(join(dir, 'a.mjs'));
    expect(await fn({ trackedEntityType: 'x', orgUnit: 'y', matchAttribute: 'z', attributes: [] }, { baseUrl: '', username: '', password: '' })).toEqual({ uid: 'G0wYYhBIqZs', n: 0 });
  });
  it('accepts a named `upsert` export', async () => {
    writeFileSync(join(dir, 'b.mjs'), 'export async function upsert() { return "ok"; }');
    expect(typeof (await loadImplementation(join(dir, 'b.mjs')))).toBe('function');
  });
  it.each([
    ['a missing file', 'nope.mjs', /No module at/],
    ['a module without a function', 'c.mjs', /no function to verify/],
  ])('rejects %s with MODULE_LOAD', async (_n, file, msg) => {
    writeFileSync(join(dir, 'c.mjs'), 'export const x = 1;');
    await expect(loadImplementation(join(dir, file))).rejects.toMatchObject({ code: 'MODULE_LOAD', message: expect.stringMatching(msg) });
  });
});
