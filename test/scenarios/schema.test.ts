/**
 * Scenario format (issue item 1): the committed JSON Schema is the one generated from the zod
 * schema, and every problem in a scenario file names the file, the JSON path and what was expected.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, ScenarioFileError } from '../../src/harness/scenario/load.js';
import { renderScenarioSchema } from '../../src/harness/scenario/write-schema.js';

const minimal = () => ({
  title: 'A minimal scenario',
  description: 'One upsert.',
  seenIn: 'Nowhere, it is a test.',
  records: { ama: { orgUnit: 'ngelehun', match: 'nationalId', attributes: { nationalId: 'NID-1', firstName: 'Ama' } } },
  implementations: ['robust'],
  operations: [{ upsert: 'ama' }],
});

function issuesOf(data: unknown): { path: string; message: string }[] {
  try {
    parseScenario('bad.json', data);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    expect((e as ScenarioFileError).message).toContain('bad.json');
    return (e as ScenarioFileError).issues;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario.schema.json', () => {
  it('equals the schema generated from the zod schema (regenerate with write-schema.ts)', () => {
    expect(readFileSync('scenarios/scenario.schema.json', 'utf8')).toBe(renderScenarioSchema());
  });

  it('describes the top-level keys a user writes', () => {
    const schema = JSON.parse(renderScenarioSchema()) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['dhis2Version', 'uniqueness', 'fixture', 'entities', 'records', 'faults', 'implementations', 'operations', 'expect', 'seed']));
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'seenIn', 'records', 'implementations', 'operations']));
  });

  it('accepts a minimal scenario and fills the defaults', () => {
    const { scenario } = parseScenario('ok.json', minimal());
    expect(scenario).toMatchObject({ dhis2Version: '2.40', uniqueness: 'racy', seed: 1, heal: true, expect: { noDuplicates: true, final: [] } });
  });
});

describe('errors name the file, the JSON path and what was expected', () => {
  const m = minimal();
  it.each([
    ['a required key is missing', { ...m, title: undefined }, 'title', /required/],
    ['a misspelt key', { ...m, opertions: [] }, '$', /unknown key\(s\) "opertions"/],
    ['a wrong type', { ...m, seed: 'seven' }, 'seed', /expected number/],
    ['an unknown uniqueness mode', { ...m, uniqueness: 'strict' }, 'uniqueness', /racy|atomic|off/],
    ['an unsupported DHIS2 version', { ...m, dhis2Version: '2.30' }, 'dhis2Version', /2\.35 to 2\.42/],
    ['a bad implementation spec', { ...m, implementations: ['robustt'] }, 'implementations[0]', /robust.*reference:<name>/],
    ['an unknown reference', { ...m, implementations: ['reference:nope'] }, 'implementations[0]', /unknown reference "nope".*naiveSearchThenCreate/],
    ['a step naming no record', { ...m, operations: [{ upsert: 'bob' }] }, 'operations[0].upsert', /no record named "bob".*"ama"/],
    ['a concurrent member naming no record', { ...m, operations: [{ concurrent: [{ upsert: 'ama' }, { upsert: 'bob' }] }] }, 'operations[0].concurrent[1].upsert', /no record named "bob"/],
    ['a step of no known kind', { ...m, operations: [{ sleep: 5 }] }, 'operations[0]', /upsert.*concurrent.*wait/],
    ['a bad option inside a step', { ...m, operations: [{ upsert: 'ama', times: 0 }] }, 'operations[0].times', /1/],
    ['an unknown attribute alias', { ...m, records: { ama: { orgUnit: 'ngelehun', attributes: { nationalID: 'x' } } } }, 'records.ama.attributes.nationalID', /unknown attribute "nationalID"/],
    ['an unknown org unit', { ...m, records: { ama: { orgUnit: 'atlantis', attributes: { nationalId: 'x' } } } }, 'records.ama.orgUnit', /unknown org unit "atlantis"/],
    ['a key attribute without a value', { ...m, records: { ama: { orgUnit: 'ngelehun', match: 'nationalId', attributes: { firstName: 'Ama' } } } }, 'records.ama.attributes', /key attribute "nationalId" needs a value/],
    ['a fault plan with an unknown kind', { ...m, faults: { rules: [{ kind: 'explode' }] } }, 'faults.rules[0].kind', /unknown fault kind "explode"; use one of latency/],
    ['a final expectation about an unknown entity', { ...m, expect: { final: [{ entity: 'ghost' }] } }, 'expect.final[0].entity', /no entity with id "ghost"/],
    ['an unknown finding code', { ...m, implementations: [{ use: 'robust', expectFailure: { finding: 'DUPLICATES' } }] }, 'implementations[0].expectFailure.finding', /DUPLICATE/],
  ])('%s', (_name, data, where, what) => {
    const issues = issuesOf(data);
    const hit = issues.find((i) => i.path === where);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit!.message).toMatch(what);
  });

  it('invalid JSON: the line and column, and a hint that JSON has no comments', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scn-'));
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{\n  "title": "x",\n  // a comment\n  "seenIn": "y"\n}\n');
    const err = await loadScenarioFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioFileError);
    expect((err as ScenarioFileError).file).toBe(file);
    expect((err as ScenarioFileError).issues[0].path).toBe('line 3 column 3');
    expect((err as ScenarioFileError).issues[0].message).toMatch(/no comments/);
  });

  it('a missing file', async () => {
    const err = await loadScenarioFile('scenarios/does-not-exist.json').catch((e: unknown) => e);
    expect((err as ScenarioFileError).issues[0].message).toBe('cannot read the file: no such file');
    // a problem of the whole file has no JSON path: no "$:" in what the user reads
    expect((err as ScenarioFileError).message).toBe('scenarios/does-not-exist.json: cannot read the file: no such file');
  });
});
