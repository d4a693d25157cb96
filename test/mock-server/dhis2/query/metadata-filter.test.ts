import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  matchesMetadataQuery,
  parseInList,
  parseMetadataFilters,
  parseRootJunction,
} from '../../../../mock-server/dhis2/query/metadata-filter.js';
import { QueryError } from '../../../../mock-server/dhis2/query/errors.js';
import { fcParams } from './fc-config.js';

const attribute = {
  id: 'lZGmxYbs97q',
  name: 'National ID',
  code: 'NID',
  valueType: 'TEXT',
  unique: true,
  orgunitScope: false,
  level: 2,
  created: '2020-01-01T00:00:00.000',
  optionSet: { id: 'OS1' },
  organisationUnits: [{ id: 'a' }, { id: 'b' }],
  programTrackedEntityAttributes: [{ trackedEntityAttribute: { id: 'X' } }],
  aliases: [],
  trackedEntityType: 'nEenWmSyUEp',
};

const matches = (filter: string | string[], object: unknown = attribute, rootJunction?: string) =>
  matchesMetadataQuery(object, parseMetadataFilters(filter, { rootJunction }));

describe('metadata filter: matching', () => {
  it.each<[string, boolean]>([
    ['unique:eq:true', true],
    ['unique:eq:TRUE', true],
    ['unique:eq:false', false],
    ['unique:!eq:false', true],
    ['orgunitScope:ne:true', true],
    ['name:eq:National ID', true],
    ['name:eq:national id', false],
    ['name:ilike:national', true],
    ['name:like:National', true],
    ['name:like:national', false],
    ['name:!like:xyz', true],
    ['name:!ilike:NATION', false],
    ['name:startsWith:nat', true],
    ['name:endsWith:id', true],
    ['name:$like:Nat', true],
    ['name:like$:ID', true],
    ['name:token:nat id', true],
    ['name:token:id nat', true],
    ['name:token:ation', false],
    ['name:!token:xyz', true],
    ['id:in:[lZGmxYbs97q,abc]', true],
    ['id:in:[abc]', false],
    ['id:!in:[abc]', true],
    ['code:null', false],
    ['shortName:null', true],
    ['shortName:!null', false],
    ['shortName:!eq:x', false],
    ['optionSet.id:eq:OS1', true],
    ['organisationUnits.id:eq:b', true],
    ['organisationUnits.id:!in:[a,b]', false],
    ['programTrackedEntityAttributes.trackedEntityAttribute.id:eq:X', true],
    ['trackedEntityType.id:eq:nEenWmSyUEp', true],
    ['level:gt:1', true],
    ['level:ge:2', true],
    ['level:lt:2', false],
    ['level:lte:2', true],
    ['created:ge:2019-12-31', true],
    ['created:lt:2019-12-31', false],
    ['organisationUnits:empty', false],
    ['aliases:empty', true],
    ['constructor.name:eq:Object', false],
    ['__proto__:!null', false],
    ['name:eq:a:b', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each<[string[], string | undefined, boolean]>([
    [['unique:eq:true', 'code:eq:NID'], undefined, true],
    [['unique:eq:true', 'code:eq:XXX'], undefined, false],
    [['unique:eq:true', 'code:eq:XXX'], 'OR', true],
    [['unique:eq:false', 'code:eq:XXX'], 'or', false],
    [[], undefined, true],
  ])('%j rootJunction=%s → %s', (filters, junction, expected) => {
    expect(matches(filters, attribute, junction)).toBe(expected);
  });
});

describe('metadata filter: parsing', () => {
  it('keeps colons in the value and parses in lists', () => {
    expect(parseMetadataFilters('name:eq:a:b:c').restrictions).toEqual([{ path: ['name'], op: 'eq', value: 'a:b:c' }]);
    expect(parseMetadataFilters('id:in:[a, b]').restrictions[0]).toMatchObject({ op: 'in', values: ['a', 'b'] });
  });

  it.each<[string | undefined, string]>([[undefined, 'AND'], ['OR', 'OR'], ['or', 'OR'], ['AND', 'AND'], ['nonsense', 'AND']])(
    'rootJunction %s → %s', (raw, expected) => {
      expect(parseRootJunction(raw)).toBe(expected);
    });

  it.each<[string, string[]]>([['[a,b]', ['a', 'b']], ['a,b', ['a', 'b']], ['[ a ]', ['a']], ['[]', []]])(
    'parseInList(%j)', (arg, expected) => {
      expect(parseInList(arg)).toEqual(expected);
    });

  it.each<[string | string[], string]>([
    ['name', 'Invalid filter => name'],
    ['name:', 'Invalid filter => name:'],
    ['name:xx:1', '`xx` is not a valid operator.'],
    ['id:in:[]', 'Invalid argument `[]` for in operator.'],
    ['id:!in', 'Invalid argument `null` for in operator.'],
    ['a..b:eq:1', 'Invalid filter => a..b:eq:1'],
    [`${'a.'.repeat(10)}b:eq:1`, `Invalid filter => ${'a.'.repeat(10)}b:eq:1`],
    [Array.from({ length: 51 }, () => 'id:eq:1'), `Invalid filter => ${Array.from({ length: 51 }, () => 'id:eq:1').join('&filter=').slice(0, 200)}…`],
  ])('rejects %j', (filter, message) => {
    try {
      parseMetadataFilters(filter);
      expect.fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      expect([(e as QueryError).code, (e as QueryError).message, (e as QueryError).status]).toEqual(['INVALID_METADATA_FILTER', message, 400]);
    }
  });

  it('rejects unknown properties when the schema is given', () => {
    expect(() => parseMetadataFilters('foo.id:eq:1', { properties: new Set(['id', 'name']) })).toThrow('Unknown path property: foo.id');
    expect(parseMetadataFilters('name:eq:1', { properties: new Set(['id', 'name']) }).restrictions).toHaveLength(1);
  });

  it('never throws anything but QueryError and never reads the prototype chain', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 5 }), (filters) => {
        try {
          const query = parseMetadataFilters(filters);
          matchesMetadataQuery(attribute, query);
        } catch (e) {
          expect(e).toBeInstanceOf(QueryError);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      fcParams,
    );
  });
});
