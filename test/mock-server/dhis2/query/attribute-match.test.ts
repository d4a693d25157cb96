import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareValues,
  indexableLookup,
  matchesConditions,
  parseDecimal,
} from '../../../../mock-server/dhis2/query/attribute-match.js';
import type { AttributeCondition, AttributeOperator } from '../../../../mock-server/dhis2/query/attribute-filter.js';
import { fcParams } from './fc-config.js';

const c = (op: AttributeOperator, ...values: string[]): AttributeCondition => ({ op, values });

describe('matchesConditions', () => {
  it.each<[string, string | undefined, AttributeCondition[], boolean]>([
    ['EQ ignores case', 'ABC', [c('EQ', 'abc')], true],
    ['EQ differs', 'abc', [c('EQ', 'abd')], false],
    ['NE when different', 'abc', [c('NE', 'abd')], true],
    ['NE when equal ignoring case', 'ABC', [c('NE', 'abc')], false],
    ['missing value never matches EQ', undefined, [c('EQ', 'x')], false],
    ['missing value never matches NE (SQL NULL)', undefined, [c('NE', 'x')], false],
    ['no conditions: include-only, no restriction', undefined, [], true],
    ['LIKE is a substring match', 'Hello World', [c('LIKE', 'LO wo')], true],
    ['LIKE without the substring', 'Hello', [c('LIKE', 'xyz')], false],
    ['LIKE treats % literally', 'abc', [c('LIKE', 'a%c')], false],
    ['SW prefix', 'Hello', [c('SW', 'he')], true],
    ['SW not a prefix', 'Hello', [c('SW', 'lo')], false],
    ['EW suffix', 'Hello', [c('EW', 'LO')], true],
    ['IN member', 'B', [c('IN', 'a', 'b', 'c')], true],
    ['IN non-member', 'd', [c('IN', 'a', 'b')], false],
    ['GT numeric, not lexical', '10', [c('GT', '9')], true],
    ['GT falls back to strings', '10', [c('GT', '9a')], false],
    ['GE on ISO dates', '2024-03-01', [c('GE', '2024-02-28')], true],
    ['LE numeric equality 5 = 5.0', '5', [c('LE', '5.0')], true],
    ['LT negative numbers', '-3', [c('LT', '2')], true],
    ['LT strings compare lower-cased', 'abc', [c('LT', 'ABD')], true],
    ['range: inside', '15', [c('GT', '10'), c('LT', '20')], true],
    ['range: outside', '25', [c('GT', '10'), c('LT', '20')], false],
    ['EQ compares text, not numbers', '1e3', [c('EQ', '1000')], false],
    ['padded numbers still compare numerically', ' 7 ', [c('GT', '6')], true],
  ])('%s', (_name, stored, conditions, expected) => {
    expect(matchesConditions(stored, conditions)).toBe(expected);
  });

  it.each<[string, AttributeCondition[], boolean]>([
    ['ABC', [c('EQ', 'abc')], false],
    ['ABC', [c('EQ', 'ABC')], true],
    ['Hello', [c('SW', 'he')], false],
  ])('case-sensitive: %s %j → %s', (stored, conditions, expected) => {
    expect(matchesConditions(stored, conditions, true)).toBe(expected);
  });
});

describe('parseDecimal / compareValues', () => {
  it.each<[string, number | undefined]>([
    ['12', 12], ['-1.5', -1.5], ['.5', 0.5], ['1.', 1], ['1e3', 1000], ['+4', 4],
    ['0x10', undefined], ['', undefined], ['Infinity', undefined], ['1e', undefined], ['+', undefined], ['1 2', undefined],
  ])('parseDecimal(%j) = %s', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['2', '10', -1], ['b', 'a', 1], ['1.0', '1', 0], ['10', 'a', -1],
  ])('compareValues(%j, %j) = %d', (a, b, expected) => {
    expect(Math.sign(compareValues(a, b))).toBe(expected);
  });
});

describe('indexableLookup', () => {
  it.each<[string, AttributeCondition[], boolean, string[] | null]>([
    ['EQ lower-cased', [c('EQ', 'AbC')], false, ['abc']],
    ['IN deduplicated', [c('IN', 'a', 'B', 'A')], false, ['a', 'b']],
    ['LIKE is not indexable', [c('LIKE', 'x')], false, null],
    ['EQ next to a range', [c('GT', '1'), c('EQ', 'x')], false, ['x']],
    ['the most selective condition', [c('IN', 'a', 'b', 'c'), c('EQ', 'z')], false, ['z']],
    ['case-sensitive keeps case', [c('EQ', 'AbC')], true, ['AbC']],
    ['no conditions', [], false, null],
  ])('%s', (_name, conditions, caseSensitive, expected) => {
    expect(indexableLookup(conditions, caseSensitive)).toEqual(expected);
  });

  it('never hides a match: a matching value is among the lookup keys', () => {
    const text = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'A', 'b', '1', '2', ' ') });
    const cond = fc.oneof(
      fc.record({ op: fc.constantFrom<AttributeOperator>('EQ', 'NE', 'LIKE', 'SW', 'EW', 'GT', 'GE', 'LT', 'LE'), values: fc.tuple(text).map((t) => [...t]) }),
      fc.record({ op: fc.constant<AttributeOperator>('IN'), values: fc.array(text, { minLength: 1, maxLength: 4 }) }),
    );
    fc.assert(
      fc.property(text, fc.array(cond, { maxLength: 3 }), (stored, conditions) => {
        const keys = indexableLookup(conditions);
        if (keys !== null && matchesConditions(stored, conditions)) expect(keys).toContain(stored.toLowerCase());
      }),
      fcParams,
    );
  });
});
