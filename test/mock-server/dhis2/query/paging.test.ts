import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dhis2Version } from '../../../../mock-server/dhis2/versions.js';
import { parsePaging, slice, type Paging, type PagingApi } from '../../../../mock-server/dhis2/query/paging.js';
import { pageCount } from '../../../../mock-server/dhis2/query/pager.js';
import { QueryError } from '../../../../mock-server/dhis2/query/errors.js';
import { fcParams } from './fc-config.js';

const v = (s: string) => Dhis2Version.parse(s);
type Q = Record<string, string | string[]>;
const P = (all: boolean, page: number, pageSize: number, totalPages: boolean): Paging => ({ all, page, pageSize, totalPages });

describe('parsePaging', () => {
  it.each<[string, PagingApi, string, Q, Paging]>([
    ['defaults', 'legacy', '2.35', {}, P(false, 1, 50, false)],
    ['explicit values', 'legacy', '2.35', { page: '3', pageSize: '10', totalPages: 'true' }, P(false, 3, 10, true)],
    ['paging=false on 2.35', 'legacy', '2.35', { paging: 'false' }, P(true, 1, 50, false)],
    ['paging=false ignored from 2.36', 'legacy', '2.36', { paging: 'false' }, P(false, 1, 50, false)],
    ['skipPaging=true', 'legacy', '2.41', { skipPaging: 'true' }, P(true, 1, 50, false)],
    ['page 0 becomes 1', 'legacy', '2.37', { page: '0' }, P(false, 1, 50, false)],
    ['negative values fall back', 'legacy', '2.37', { page: '-5', pageSize: '-1' }, P(false, 1, 50, false)],
    ['pageSize 0 is kept', 'legacy', '2.37', { pageSize: '0' }, P(false, 1, 0, false)],
    ['blanks around numbers', 'legacy', '2.39', { page: ' 2 ' }, P(false, 2, 50, false)],
    ['first of repeated values', 'legacy', '2.39', { page: ['2', '3'] }, P(false, 2, 50, false)],
    ['tracker 2.38 ignores paging', 'tracker', '2.38', { paging: 'false' }, P(false, 1, 50, false)],
    ['tracker 2.40 skipPaging', 'tracker', '2.40', { skipPaging: 'TRUE' }, P(true, 1, 50, false)],
    ['tracker 2.41 paging=false', 'tracker', '2.41', { paging: 'false' }, P(true, 1, 50, false)],
    ['tracker 2.41 deprecated skipPaging', 'tracker', '2.41', { skipPaging: 'true' }, P(true, 1, 50, false)],
    ['tracker 2.42 dropped skipPaging', 'tracker', '2.42', { skipPaging: 'true' }, P(false, 1, 50, false)],
    ['tracker 2.42 values', 'tracker', '2.42', { page: '2', pageSize: '5', totalPages: 'true' }, P(false, 2, 5, true)],
    ['tracker 2.41 paging=false with totalPages=false', 'tracker', '2.41', { paging: 'false', totalPages: 'false' }, P(true, 1, 50, false)],
    ['metadata defaults', 'metadata', '2.40', {}, P(false, 1, 50, true)],
    ['metadata paging=false', 'metadata', '2.40', { paging: 'false' }, P(true, 1, 50, true)],
    ['metadata lenient numbers', 'metadata', '2.40', { page: 'abc', pageSize: 'x' }, P(false, 1, 50, true)],
    ['metadata clamps to 1', 'metadata', '2.35', { page: '0', pageSize: '0' }, P(false, 1, 1, true)],
  ])('%s', (_name, api, version, query, expected) => {
    expect(parsePaging(query, { api, version: v(version) })).toEqual(expected);
  });

  it.each<[string, PagingApi, string, Q, string, number]>([
    ['non-numeric page', 'legacy', '2.35', { page: 'abc' }, "Value 'abc' is not valid for parameter page. It should be of type Integer", 409],
    ['decimal pageSize', 'tracker', '2.38', { pageSize: '1.5' }, "Value '1.5' is not valid for parameter pageSize. It should be of type Integer", 400],
    ['bad boolean', 'legacy', '2.39', { totalPages: 'maybe' }, "Value 'maybe' is not valid for parameter totalPages. It should be of type Boolean", 409],
    ['page out of int range', 'tracker', '2.41', { page: '99999999999' }, "Value '99999999999' is not valid for parameter page. It should be of type Integer", 400],
    ['2.41 page 0', 'tracker', '2.41', { page: '0' }, 'page must be greater than or equal to 1 if specified', 400],
    ['2.42 pageSize 0', 'tracker', '2.42', { pageSize: '0' }, 'pageSize must be greater than or equal to 1 if specified', 400],
    ['2.41 paging=false with page', 'tracker', '2.41', { paging: 'false', page: '1' },
      'Paging cannot be skipped with page, pageSize or totalPages=true. Remove paging=false or them.', 400],
    ['2.42 paging=false with totalPages', 'tracker', '2.42', { paging: 'false', totalPages: 'true' },
      'Paging cannot be skipped with page, pageSize or totalPages=true. Remove paging=false or them.', 400],
    ['2.41 both skipPaging and paging', 'tracker', '2.41', { paging: 'false', skipPaging: 'true' },
      "Only one parameter of 'skipPaging' and 'paging' must be specified. Prefer 'paging' as 'skipPaging' will be removed.", 400],
  ])('rejects: %s', (_name, api, version, query, message, status) => {
    try {
      parsePaging(query, { api, version: v(version) });
      expect.fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      expect([(e as QueryError).code, (e as QueryError).message, (e as QueryError).status]).toEqual(['INVALID_PAGING', message, status]);
    }
  });
});

describe('slice', () => {
  const items = [0, 1, 2, 3, 4, 5, 6];
  it.each<[Paging, number[]]>([
    [P(false, 1, 3, false), [0, 1, 2]],
    [P(false, 3, 3, false), [6]],
    [P(false, 4, 3, false), []],
    [P(true, 2, 3, false), items],
    [P(false, 1, 0, false), []],
  ])('%j', (paging, expected) => {
    expect(slice(items, paging)).toEqual(expected);
  });

  it('pages partition the items', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (list, size) => {
        const pages = pageCount(list.length, size);
        const joined = Array.from({ length: pages }, (_, i) => slice(list, P(false, i + 1, size, false))).flat();
        expect(joined).toEqual(list);
        expect(slice(list, P(false, pages + 1, size, false))).toEqual([]);
      }),
      fcParams,
    );
  });
});
