import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyFields, parseFields, safeClone } from '../../../../mock-server/dhis2/query/fields.js';
import { QueryError } from '../../../../mock-server/dhis2/query/errors.js';
import { fcParams } from './fc-config.js';

const tei = {
  trackedEntityInstance: 'PQfMcpmXeFE',
  trackedEntityType: 'nEenWmSyUEp',
  orgUnit: 'DiszpKrYNg8',
  created: '2024-01-01T00:00:00.000',
  attributes: [
    { attribute: 'w75KJ2mc4zz', value: 'Anna', displayName: 'First name', created: 'x' },
    { attribute: 'zDhUuAYrxNC', value: 'Jones', displayName: 'Last name', created: 'y' },
  ],
  enrollments: [{ enrollment: 'E1', program: 'P1', events: [{ event: 'V1', status: 'ACTIVE' }] }],
  relationships: [],
  programOwners: [{ ownerOrgUnit: 'DiszpKrYNg8', program: 'P1' }],
};

const metadata = {
  id: 'lZGmxYbs97q', name: 'National ID', displayName: 'National ID', shortName: 'NID', code: 'NID',
  created: '2020', lastUpdated: '2021', description: 'd', valueType: 'TEXT', unique: true,
  optionSet: { id: 'OS1', name: 'Set' }, href: 'h', access: { read: true },
};

const project = (fields: string, value: unknown = tei) => applyFields(value, parseFields(fields));

describe('fields: projection', () => {
  it.each<[string, string, unknown, unknown]>([
    ['plain list', 'trackedEntityInstance,orgUnit', tei, { trackedEntityInstance: 'PQfMcpmXeFE', orgUnit: 'DiszpKrYNg8' }],
    ['unknown fields are absent', 'orgUnit,nope', tei, { orgUnit: 'DiszpKrYNg8' }],
    ['nested in arrays', 'attributes[attribute,value]', tei,
      { attributes: [{ attribute: 'w75KJ2mc4zz', value: 'Anna' }, { attribute: 'zDhUuAYrxNC', value: 'Jones' }] }],
    ['two levels', 'enrollments[enrollment,events[event]]', tei, { enrollments: [{ enrollment: 'E1', events: [{ event: 'V1' }] }] }],
    ['round brackets work too', 'enrollments(program)', tei, { enrollments: [{ program: 'P1' }] }],
    ['star with exclusions', '*,!relationships,!enrollments,!programOwners,!attributes', tei,
      { trackedEntityInstance: 'PQfMcpmXeFE', trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', created: '2024-01-01T00:00:00.000' }],
    [':all equals *', ':all,!attributes,!enrollments,!relationships,!programOwners,!created', tei,
      { trackedEntityInstance: 'PQfMcpmXeFE', trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8' }],
    ['exclusion wins over inclusion', 'orgUnit,!orgUnit,created', tei, { created: '2024-01-01T00:00:00.000' }],
    ['star plus a projected field', '*,!enrollments,!relationships,!programOwners,!created,!trackedEntityType,attributes[value]', tei,
      { trackedEntityInstance: 'PQfMcpmXeFE', orgUnit: 'DiszpKrYNg8', attributes: [{ value: 'Anna' }, { value: 'Jones' }] }],
    ['whole value wins over a projection of the same field', 'attributes[value],attributes', tei, { attributes: tei.attributes }],
    ['repeated projections merge', 'attributes[value],attributes[attribute]', tei,
      { attributes: [{ attribute: 'w75KJ2mc4zz', value: 'Anna' }, { attribute: 'zDhUuAYrxNC', value: 'Jones' }] }],
    ['nested exclusion', 'attributes[*,!created,!displayName]', tei,
      { attributes: [{ attribute: 'w75KJ2mc4zz', value: 'Anna' }, { attribute: 'zDhUuAYrxNC', value: 'Jones' }] }],
    ['whitespace is ignored', ' orgUnit , created ', tei, { orgUnit: 'DiszpKrYNg8', created: '2024-01-01T00:00:00.000' }],
    ['a projection of a scalar leaves it', 'orgUnit[id]', tei, { orgUnit: 'DiszpKrYNg8' }],
    [':identifiable', ':identifiable', metadata,
      { id: 'lZGmxYbs97q', name: 'National ID', displayName: 'National ID', code: 'NID', created: '2020', lastUpdated: '2021', href: 'h' }],
    [':nameable', ':nameable,!href', metadata,
      { id: 'lZGmxYbs97q', name: 'National ID', displayName: 'National ID', shortName: 'NID', code: 'NID', created: '2020', lastUpdated: '2021', description: 'd' }],
    [':simple', ':simple,!href,!created,!lastUpdated,!description', metadata,
      { id: 'lZGmxYbs97q', name: 'National ID', displayName: 'National ID', shortName: 'NID', code: 'NID', valueType: 'TEXT', unique: true }],
    [':owner drops derived fields', ':owner,!created,!lastUpdated,!description,!optionSet', metadata,
      { id: 'lZGmxYbs97q', name: 'National ID', shortName: 'NID', code: 'NID', valueType: 'TEXT', unique: true }],
    ['an unknown preset selects nothing', ':nothing,id', metadata, { id: 'lZGmxYbs97q' }],
    ['arrays at the top level', 'id', [{ id: 'a', x: 1 }, { id: 'b' }], [{ id: 'a' }, { id: 'b' }]],
    ['empty fields select nothing', '', metadata, {}],
  ])('%s: %s', (_name, fields, value, expected) => {
    expect(applyFields(value, parseFields(fields))).toEqual(expected);
  });

  it('falls back to the given default for blank input', () => {
    expect(applyFields(metadata, parseFields(undefined, 'id,displayName'))).toEqual({ id: 'lZGmxYbs97q', displayName: 'National ID' });
    expect(applyFields(metadata, parseFields(['id', 'code']))).toEqual({ id: 'lZGmxYbs97q', code: 'NID' });
  });

  it('copies values instead of sharing them', () => {
    const out = project('attributes') as { attributes: unknown[] };
    expect(out.attributes).toEqual(tei.attributes);
    expect(out.attributes).not.toBe(tei.attributes);
  });
});

describe('fields: prototype safety', () => {
  const hostile = JSON.parse('{"id":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"nested":{"__proto__":{"polluted":true},"ok":1}}');

  it.each(['*', '__proto__', 'constructor[prototype]', '__proto__[polluted],nested', ':owner', 'nested[*]'])('fields=%s', (fields) => {
    const out = applyFields(hostile, parseFields(fields)) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(out, 'constructor')).toBe(false);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    if (out.nested) expect(Object.prototype.hasOwnProperty.call(out.nested, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('safeClone cuts cycles', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(safeClone(a)).toEqual({ x: 1, self: undefined });
  });
});

describe('fields: rejected input', () => {
  it.each<[string, string]>([
    ['a[b', 'unbalanced brackets'],
    ['a]', 'unbalanced brackets'],
    ['[a]', 'bracket without a field name'],
    ['a[b]c', "unexpected 'c' after ']'"],
    [`${'a['.repeat(11)}b${']'.repeat(11)}`, 'nested too deep'],
    ['a,'.repeat(5_001), 'too long'],
  ])('%s', (fields, reason) => {
    try {
      parseFields(fields);
      expect.fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      expect((e as QueryError).code).toBe('INVALID_FIELDS');
      expect((e as QueryError).message).toContain(reason);
    }
  });

  it('accepts nesting of exactly 10', () => {
    expect(() => parseFields(`${'a['.repeat(10)}b${']'.repeat(10)}`)).not.toThrow();
  });

  it('never throws anything but QueryError and never pollutes', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_!*:,[\]() ]{0,60}$/), json, (fields, value) => {
        try {
          applyFields(value, parseFields(fields));
        } catch (e) {
          expect(e).toBeInstanceOf(QueryError);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      fcParams,
    );
  });
});
