import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dhis2Version } from '../../../../mock-server/dhis2/versions.js';
import {
  buildComparator,
  isUidShape,
  parseOrder,
  sortBy,
  type OrderTerm,
} from '../../../../mock-server/dhis2/query/order.js';
import { QueryError } from '../../../../mock-server/dhis2/query/errors.js';
import { fcParams } from './fc-config.js';

const v = (s: string) => Dhis2Version.parse(s);
const T = (property: string, direction: 'asc' | 'desc', raw = property, kind: 'field' | 'attribute' = 'field'): OrderTerm =>
  ({ property, kind, direction, raw });

describe('parseOrder', () => {
  it.each<[string, string, 'legacy' | 'tracker', string | string[] | undefined, OrderTerm[]]>([
    ['default asc', '2.39', 'legacy', 'created', [T('created', 'asc')]],
    ['two terms', '2.39', 'legacy', 'created:desc,lastUpdated', [T('created', 'desc'), T('lastUpdated', 'asc')]],
    ['direction case-insensitive', '2.40', 'tracker', 'updatedAt:DESC', [T('lastUpdated', 'desc', 'updatedAt')]],
    ['aliases', '2.41', 'tracker', 'createdAt,trackedEntity:desc', [T('created', 'asc', 'createdAt'), T('trackedEntity', 'desc')]],
    ['legacy alias', '2.35', 'legacy', 'trackedEntityInstance:asc', [T('trackedEntity', 'asc', 'trackedEntityInstance')]],
    ['orgUnit and inactive', '2.39', 'legacy', 'orgUnit,inactive:desc', [T('orgUnit', 'asc'), T('inactive', 'desc')]],
    ['attribute UID', '2.39', 'legacy', 'w75KJ2mc4zz:desc', [T('w75KJ2mc4zz', 'desc', 'w75KJ2mc4zz', 'attribute')]],
    ['unknown direction reads as asc', '2.39', 'legacy', 'created:sideways', [T('created', 'asc')]],
    ['unknown property dropped before 2.39', '2.38', 'legacy', 'bogus,created', [T('created', 'asc')]],
    ['repeated parameters concatenate', '2.39', 'legacy', ['created', 'lastUpdated:desc'], [T('created', 'asc'), T('lastUpdated', 'desc')]],
    ['empty pieces ignored', '2.39', 'legacy', ' created , ,', [T('created', 'asc')]],
    ['absent', '2.39', 'legacy', undefined, []],
  ])('%s', (_name, version, api, raw, expected) => {
    expect(parseOrder(raw, { version: v(version), api })).toEqual(expected);
  });

  it.each<[string, 'legacy' | 'tracker', string, number]>([
    ['2.39', 'legacy', 'bogus', 409],
    ['2.40', 'tracker', 'createdAt,nope:desc', 400],
    ['2.40', 'tracker', 'w75KJ2mc4z', 400],
  ])('%s %s rejects %j', (version, api, raw, status) => {
    try {
      parseOrder(raw, { version: v(version), api });
      expect.fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      const name = raw.split(',').pop()!.split(':')[0];
      expect([(e as QueryError).code, (e as QueryError).message, (e as QueryError).status]).toEqual([
        'INVALID_ORDER', `Invalid order property: ${name}`, status]);
    }
  });

  // RequestParamsValidator#validateOrderParams + TrackedEntityMapper.ORDERABLE_FIELDS (2.41+)
  const SUPPORTED = "Supported are attribute UIDs and fields 'createdAt, createdAtClient, enrolledAt, inactive, trackedEntity, updatedAt, updatedAtClient'. All of which can at most be specified once.";
  it.each<[string, string, string]>([
    ['created (a 2.40 alias)', 'created', `order parameter is invalid. Cannot order by 'created'. ${SUPPORTED}`],
    ['an unknown name', 'createdAt,nope:desc', `order parameter is invalid. Cannot order by 'nope'. ${SUPPORTED}`],
    ['a repeated name', 'updatedAt,updatedAt:desc', `order parameter is invalid. 'updatedAt' are repeated. ${SUPPORTED}`],
  ])('2.41+ tracker rejects %s with the RequestParamsValidator wording', (_name, raw, message) => {
    for (const version of ['2.41', '2.42']) {
      expect(() => parseOrder(raw, { version: v(version), api: 'tracker' })).toThrow(message);
    }
  });

  it('2.41+ tracker accepts its orderable fields and any UID', () => {
    const terms = parseOrder('enrolledAt:desc,updatedAtClient,Abcdefghij1', { version: v('2.41'), api: 'tracker', attributeExists: () => false });
    expect(terms).toEqual([T('enrolledAt', 'desc'), T('updatedAtClient', 'asc'), T('Abcdefghij1', 'asc', 'Abcdefghij1', 'attribute')]);
  });

  it('checks attribute UIDs against the metadata when asked', () => {
    const opts = { version: v('2.39'), api: 'legacy' as const, attributeExists: (u: string) => u === 'w75KJ2mc4zz' };
    expect(parseOrder('w75KJ2mc4zz', opts)).toHaveLength(1);
    expect(() => parseOrder('zDhUuAYrxNC', opts)).toThrow('Invalid order property: zDhUuAYrxNC');
    expect(parseOrder('zDhUuAYrxNC', { ...opts, version: v('2.37') })).toEqual([]);
  });

  it.each([['w75KJ2mc4zz', true], ['lastUpdated', true], ['1abcdefghij', false], ['abc', false], ['abcdefghij!', false]])(
    'isUidShape(%j) = %s', (s, expected) => {
      expect(isUidShape(s)).toBe(expected);
    });
});

interface Row { id: string; created?: string; n?: number; flag?: boolean; attrs: Record<string, string> }

const rows: Row[] = [
  { id: 'a', created: '2024-01-02', n: 10, flag: true, attrs: { w75KJ2mc4zz: 'b' } },
  { id: 'b', created: '2024-01-01', n: 9, flag: false, attrs: {} },
  { id: 'c', n: 10, attrs: { w75KJ2mc4zz: 'a' } },
  { id: 'd', created: '2024-01-01', n: 2, flag: true, attrs: { w75KJ2mc4zz: 'B' } },
];

const getter = (row: Row, term: OrderTerm): unknown =>
  term.kind === 'attribute' ? row.attrs[term.property] : (row as unknown as Record<string, unknown>)[term.property];

describe('buildComparator / sortBy', () => {
  it.each<[string, OrderTerm[], string[]]>([
    ['created asc, missing last', [T('created', 'asc')], ['b', 'd', 'a', 'c']],
    ['created desc, missing first', [T('created', 'desc')], ['c', 'a', 'b', 'd']],
    ['numbers by value', [T('n', 'asc')], ['d', 'b', 'a', 'c']],
    ['tie broken by the next term', [T('n', 'desc'), T('id', 'desc')], ['c', 'a', 'b', 'd']],
    ['booleans false first', [T('flag', 'asc')], ['b', 'a', 'd', 'c']],
    ['attribute values by code unit', [T('w75KJ2mc4zz', 'asc', 'w75KJ2mc4zz', 'attribute')], ['d', 'c', 'a', 'b']],
    ['no terms keeps input order', [], ['a', 'b', 'c', 'd']],
  ])('%s', (_name, terms, expected) => {
    expect(sortBy(rows, terms, getter).map((r) => r.id)).toEqual(expected);
  });

  it('is a consistent, stable ordering', () => {
    const row = fc.record({ id: fc.string({ maxLength: 3 }), n: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.constantFrom<'asc' | 'desc'>('asc', 'desc'), (list, direction) => {
        const terms = [T('n', direction)];
        const cmp = buildComparator(terms, (r: { n?: number }) => r.n);
        const sorted = sortBy(list, terms, (r) => r.n);
        for (let i = 1; i < sorted.length; i++) expect(cmp(sorted[i - 1], sorted[i])).toBeLessThanOrEqual(0);
        for (const a of list) for (const b of list) expect(Math.sign(cmp(a, b))).toBe(-Math.sign(cmp(b, a)) || 0);
        const equalKeys = (x: { n?: number }) => list.filter((r) => cmp(r, x) === 0);
        for (const r of sorted) expect(sorted.filter((s) => cmp(s, r) === 0)).toEqual(equalKeys(r));
      }),
      fcParams,
    );
  });
});
