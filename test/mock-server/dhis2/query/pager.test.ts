import { describe, expect, it } from 'vitest';
import { Dhis2Version } from '../../../../mock-server/dhis2/versions.js';
import {
  buildPager,
  javaUrlEncode,
  legacyListBody,
  metadataListBody,
  trackerListBody,
  type MetadataPager,
  type PagerLinks,
} from '../../../../mock-server/dhis2/query/pager.js';
import type { Paging } from '../../../../mock-server/dhis2/query/paging.js';

const v = (s: string) => Dhis2Version.parse(s);
const P = (page: number, pageSize: number, totalPages = true, all = false): Paging => ({ all, page, pageSize, totalPages });

describe('buildPager (DHIS2 Pager + DefaultLinkService)', () => {
  it.each<[string, Paging, number, PagerLinks | undefined, MetadataPager]>([
    ['no links', P(1, 50), 120, undefined, { page: 1, pageCount: 3, total: 120, pageSize: 50 }],
    ['empty result has one page', P(1, 50), 0, undefined, { page: 1, pageCount: 1, total: 0, pageSize: 50 }],
    ['page clamped to the last page', P(10, 50), 120, undefined, { page: 3, pageCount: 3, total: 120, pageSize: 50 }],
    ['pageSize 0 renders as 1', P(1, 0), 2, undefined, { page: 1, pageCount: 2, total: 2, pageSize: 1 }],
    ['first page: next only, other params kept', P(1, 50), 120, { endpoint: '/api/programs', query: { filter: 'a b', page: '1' } },
      { page: 1, pageCount: 3, total: 120, pageSize: 50, nextPage: '/api/programs?page=2&filter=a+b' }],
    ['second page: prev without page', P(2, 50), 120, { endpoint: '/api/programs', query: { fields: 'id,name' } },
      { page: 2, pageCount: 3, total: 120, pageSize: 50, nextPage: '/api/programs?page=3&fields=id%2Cname', prevPage: '/api/programs?fields=id%2Cname' }],
    ['second page without params', P(2, 50), 60, { endpoint: '/api/programs' },
      { page: 2, pageCount: 2, total: 60, pageSize: 50, prevPage: '/api/programs' }],
    ['non-default page size', P(3, 10), 100, { endpoint: '/api/x', query: { pageSize: '10' } },
      { page: 3, pageCount: 10, total: 100, pageSize: 10, nextPage: '/api/x?page=4&pageSize=10', prevPage: '/api/x?page=2&pageSize=10' }],
    ['second page, non-default size', P(2, 10), 30, { endpoint: '/api/x', query: { filter: ['a:eq:1', 'b:eq:2'] } },
      { page: 2, pageCount: 3, total: 30, pageSize: 10, nextPage: '/api/x?page=3&pageSize=10&filter=a%3Aeq%3A1&filter=b%3Aeq%3A2',
        prevPage: '/api/x?pageSize=10&filter=a%3Aeq%3A1&filter=b%3Aeq%3A2' }],
  ])('%s', (_name, paging, total, links, expected) => {
    expect(buildPager(paging, total, links)).toEqual(expected);
  });

  it.each([['a b', 'a+b'], ['x:y', 'x%3Ay'], ['(~)!\'', '%28%7E%29%21%27'], ['é', '%C3%A9'], ['*._-', '*._-']])(
    'javaUrlEncode(%j) = %j', (input, expected) => {
      expect(javaUrlEncode(input)).toBe(expected);
    });
});

describe('list bodies', () => {
  const items = ['t1', 't2'];
  const links = { endpoint: 'http://localhost/api/tracker/trackedEntities', query: { program: 'P1', page: '2' } };

  it.each<[string, string, Paging, Record<string, unknown>]>([
    ['2.37 flat, no pageCount yet', '2.37', P(1, 2), { instances: items, page: 1, pageSize: 2, total: 5 }],
    ['2.38 flat with pageCount', '2.38', P(1, 2), { instances: items, page: 1, pageSize: 2, total: 5, pageCount: 3 }],
    ['2.40 without totalPages', '2.40', P(1, 2, false), { instances: items, page: 1, pageSize: 2 }],
    ['2.40 paging off', '2.40', P(1, 50, false, true), { instances: items }],
    ['2.41 pager plus flat copies', '2.41', P(1, 2), {
      pager: { page: 1, pageSize: 2, total: 5, pageCount: 3 }, page: 1, pageSize: 2, total: 5, pageCount: 3, trackedEntities: items }],
    ['2.41 paging off', '2.41', P(1, 50, false, true), { trackedEntities: items }],
    ['2.42 pager with links', '2.42', P(2, 2, false), {
      pager: { page: 2, pageSize: 2,
        prevPage: 'http://localhost/api/tracker/trackedEntities?program=P1&page=1',
        nextPage: 'http://localhost/api/tracker/trackedEntities?program=P1&page=3' },
      trackedEntities: items }],
    ['2.42 last page has no next', '2.42', P(3, 2), {
      pager: { page: 3, pageSize: 2, total: 5, pageCount: 3, prevPage: 'http://localhost/api/tracker/trackedEntities?program=P1&page=2' },
      trackedEntities: items }],
  ])('tracker %s', (_name, version, paging, expected) => {
    expect(trackerListBody(items, paging, 5, v(version), links)).toEqual(expected);
  });

  it.each<[string, Paging, Record<string, unknown>]>([
    ['no pager without totalPages', P(1, 50, false), { trackedEntityInstances: items }],
    ['pager with totalPages', P(1, 1), { pager: { page: 1, pageCount: 2, total: 2, pageSize: 1 }, trackedEntityInstances: items }],
    ['no pager with skipPaging', P(1, 50, true, true), { trackedEntityInstances: items }],
  ])('legacy: %s', (_name, paging, expected) => {
    expect(legacyListBody(items, paging, 2)).toEqual(expected);
  });

  it.each<[string, Paging, Record<string, unknown>]>([
    ['paged', P(1, 50), { pager: { page: 1, pageCount: 1, total: 2, pageSize: 50 }, programs: items }],
    ['paging=false', P(1, 50, true, true), { programs: items }],
  ])('metadata: %s', (_name, paging, expected) => {
    expect(metadataListBody('programs', items, paging, 2)).toEqual(expected);
  });
});
