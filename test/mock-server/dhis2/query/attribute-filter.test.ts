import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dhis2Version } from '../../../../mock-server/dhis2/versions.js';
import {
  duplicateFilterError,
  filterSyntax,
  parseAttributeFilters,
  type AttributeCondition,
  type AttributeFilter,
  type AttributeOperator,
  type FilterApi,
} from '../../../../mock-server/dhis2/query/attribute-filter.js';
import { QueryError } from '../../../../mock-server/dhis2/query/errors.js';
import { fcParams } from './fc-config.js';

const v = (s: string) => Dhis2Version.parse(s);
const c = (op: string, ...values: string[]): AttributeCondition => ({ op: op as AttributeOperator, values });
type Raw = string | string[] | undefined;

function parse(version: string, api: FilterApi, raw: Raw, param?: 'filter' | 'attribute'): AttributeFilter[] {
  return parseAttributeFilters(raw, { version: v(version), api, param });
}

function caught(fn: () => unknown): QueryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error('expected a QueryError');
}

describe('filterSyntax', () => {
  it.each([
    ['2.35', 'legacy', 'legacy'],
    ['2.41', 'legacy', 'legacy'],
    ['2.36', 'tracker', 'legacy'],
    ['2.39', 'tracker', 'legacy'],
    ['2.40', 'tracker', 'tracker-2.40'],
    ['2.41', 'tracker', 'tracker-2.41'],
    ['2.42', 'tracker', 'tracker-2.42'],
  ] as const)('%s %s → %s', (version, api, syntax) => {
    expect(filterSyntax(v(version), api)).toBe(syntax);
  });
});

describe('parseAttributeFilters: accepted input', () => {
  it.each<[string, string, FilterApi, Raw, AttributeFilter[]]>([
    ['legacy EQ', '2.35', 'legacy', 'A:EQ:x', [{ attribute: 'A', conditions: [c('EQ', 'x')] }]],
    ['operators are case-insensitive', '2.35', 'legacy', 'A:eq:x', [{ attribute: 'A', conditions: [c('EQ', 'x')] }]],
    ['IN values split on ;', '2.35', 'legacy', 'A:IN:a;b;c', [{ attribute: 'A', conditions: [c('IN', 'a', 'b', 'c')] }]],
    ['two conditions', '2.35', 'legacy', 'A:GT:1:LT:10', [{ attribute: 'A', conditions: [c('GT', '1'), c('LT', '10')] }]],
    ['include-only item', '2.35', 'legacy', 'A', [{ attribute: 'A', conditions: [] }]],
    ['trailing colon dropped like Java split', '2.35', 'legacy', 'A:', [{ attribute: 'A', conditions: [] }]],
    ['trailing colons after a pair', '2.37', 'legacy', 'A:EQ:x::', [{ attribute: 'A', conditions: [c('EQ', 'x')] }]],
    ['repeated parameter', '2.35', 'legacy', ['A:EQ:x', 'B:LIKE:y'],
      [{ attribute: 'A', conditions: [c('EQ', 'x')] }, { attribute: 'B', conditions: [c('LIKE', 'y')] }]],
    ['single value is comma-split (Set<String> binding)', '2.38', 'legacy', 'A:EQ:x, B:EQ:y',
      [{ attribute: 'A', conditions: [c('EQ', 'x')] }, { attribute: 'B', conditions: [c('EQ', 'y')] }]],
    ['identical strings collapse (Set)', '2.35', 'legacy', ['A:EQ:x', 'A:EQ:x'], [{ attribute: 'A', conditions: [c('EQ', 'x')] }]],
    ['SW from 2.39', '2.39', 'legacy', 'A:SW:ab', [{ attribute: 'A', conditions: [c('SW', 'ab')] }]],
    ['EW on 2.41 legacy', '2.41', 'legacy', 'A:ew:z', [{ attribute: 'A', conditions: [c('EW', 'z')] }]],
    ['2.36 tracker uses the legacy syntax', '2.36', 'tracker', ['A:EQ:x'], [{ attribute: 'A', conditions: [c('EQ', 'x')] }]],
    ['2.40 comma list', '2.40', 'tracker', 'A:eq:x,B:like:y',
      [{ attribute: 'A', conditions: [c('EQ', 'x')] }, { attribute: 'B', conditions: [c('LIKE', 'y')] }]],
    ['2.40 backslash escapes a colon', '2.40', 'tracker', 'A:eq:10\\:30', [{ attribute: 'A', conditions: [c('EQ', '10:30')] }]],
    ['2.40 escaped comma keeps its backslash', '2.40', 'tracker', 'A:like:a\\,b', [{ attribute: 'A', conditions: [c('LIKE', 'a\\,b')] }]],
    ['2.40 repeated params are joined', '2.40', 'tracker', ['A:eq:x', 'B:eq:y'],
      [{ attribute: 'A', conditions: [c('EQ', 'x')] }, { attribute: 'B', conditions: [c('EQ', 'y')] }]],
    ['2.41 two items', '2.41', 'tracker', 'A:lt:20:gt:10,B:like:foo',
      [{ attribute: 'A', conditions: [c('LT', '20'), c('GT', '10')] }, { attribute: 'B', conditions: [c('LIKE', 'foo')] }]],
    ['2.41 repeated attribute merges', '2.41', 'tracker', 'A:lt:20,B:like:foo,A:gt:10',
      [{ attribute: 'A', conditions: [c('LT', '20'), c('GT', '10')] }, { attribute: 'B', conditions: [c('LIKE', 'foo')] }]],
    ['2.41 slash-escaped colons', '2.41', 'tracker', 'B:like:project/:x/:eq/:2', [{ attribute: 'B', conditions: [c('LIKE', 'project:x:eq:2')] }]],
    ['2.41 slash, comma and slash escapes', '2.41', 'tracker', 'A:eq:project///,/,//,B:eq:project//',
      [{ attribute: 'A', conditions: [c('EQ', 'project/,,/')] }, { attribute: 'B', conditions: [c('EQ', 'project/')] }]],
    ['2.41 escaped colon before a separator', '2.41', 'tracker', 'A:like:value1/::like:value2',
      [{ attribute: 'A', conditions: [c('LIKE', 'value1:'), c('LIKE', 'value2')] }]],
    ['2.41 dates with escaped colons', '2.41', 'tracker', 'A:ge:2020-01-01T00/:00:le:2021-01-01T00/:00',
      [{ attribute: 'A', conditions: [c('GE', '2020-01-01T00:00'), c('LE', '2021-01-01T00:00')] }]],
    ['2.41 identifier only', '2.41', 'tracker', 'A', [{ attribute: 'A', conditions: [] }]],
    ['2.42 identifier with trailing colon', '2.42', 'tracker', 'A:', [{ attribute: 'A', conditions: [] }]],
    ['2.41 blank input', '2.41', 'tracker', ' ', []],
    ['2.42 any number of pairs', '2.42', 'tracker', 'A:gt:1:lt:9:ne:5',
      [{ attribute: 'A', conditions: [c('GT', '1'), c('LT', '9'), c('NE', '5')] }]],
    ['2.42 a lone slash is literal', '2.42', 'tracker', 'A:sw:a/b', [{ attribute: 'A', conditions: [c('SW', 'a/b')] }]],
    ['2.41 IN', '2.41', 'tracker', 'A:in:a;b', [{ attribute: 'A', conditions: [c('IN', 'a', 'b')] }]],
    ['absent parameter', '2.40', 'legacy', undefined, []],
  ])('%s', (_name, version, api, raw, expected) => {
    expect(parse(version, api, raw)).toEqual(expected);
  });
});

describe('parseAttributeFilters: rejected input', () => {
  const long = `A:EQ:${'x'.repeat(10_001)}`;
  const many = `A${':GT:1'.repeat(51)}`;
  it.each<[string, string, FilterApi, Raw, string, string, number]>([
    ['missing value', '2.35', 'legacy', 'A:EQ', 'INVALID_FILTER', 'Query item or filter is invalid: A:EQ', 409],
    ['empty value at the end', '2.35', 'legacy', 'A:EQ:', 'INVALID_FILTER', 'Query item or filter is invalid: A:EQ:', 409],
    ['unknown operator', '2.35', 'legacy', 'A:XX:1', 'INVALID_FILTER', 'Query item or filter is invalid: A:XX:1', 409],
    ['SW before 2.39', '2.35', 'legacy', 'A:SW:x', 'INVALID_FILTER', 'Query item or filter is invalid: A:SW:x', 409],
    ['EW before 2.39', '2.38', 'tracker', 'A:EW:x', 'INVALID_FILTER', 'Query item or filter is invalid: A:EW:x', 409],
    ['empty operator', '2.35', 'legacy', 'A::x', 'INVALID_FILTER', 'Query item or filter is invalid: A::x', 409],
    ['duplicate filter', '2.35', 'legacy', ['A:EQ:x', 'A:EQ:y'], 'DUPLICATE_FILTER', 'Filters cannot be specified more than once: [A]', 409],
    ['two duplicates, Java list', '2.39', 'legacy', ['A:EQ:x', 'B:EQ:y', 'A:LIKE:z', 'B:NE:q'], 'DUPLICATE_FILTER',
      'Filters cannot be specified more than once: [A, B]', 409],
    ['2.40 duplicate', '2.40', 'tracker', 'A:eq:x,A:eq:y', 'DUPLICATE_FILTER', 'Filters cannot be specified more than once: [A]', 409],
    ['2.40 three pairs', '2.40', 'tracker', 'A:lt:1:gt:0:ne:5', 'INVALID_FILTER', 'Query item or filter is invalid: A:lt:1:gt:0:ne:5', 400],
    ['2.41 missing value', '2.41', 'tracker', 'A:lt', 'INVALID_FILTER', 'Query item or filter is invalid: A:lt', 400],
    ['2.41 missing value, trailing colon', '2.41', 'tracker', 'A:lt:', 'INVALID_FILTER', 'Query item or filter is invalid: A:lt:', 400],
    ['2.41 misspelt operator', '2.41', 'tracker', 'A:lke:value', 'INVALID_FILTER', 'Query item or filter is invalid: A:lke:value', 400],
    ['2.41 second pair without value', '2.41', 'tracker', 'A:gt:10:lt', 'INVALID_FILTER', 'Query item or filter is invalid: A:gt:10:lt', 400],
    ['2.42 empty operator', '2.42', 'tracker', 'A::x', 'INVALID_FILTER', 'Query item or filter is invalid: A::x', 400],
    ['over 10,000 characters', '2.35', 'legacy', long, 'INVALID_FILTER', `Query item or filter is invalid: ${long.slice(0, 200)}…`, 409],
    ['over 50 conditions', '2.42', 'tracker', many, 'INVALID_FILTER', `Query item or filter is invalid: ${many.slice(0, 200)}…`, 400],
    ['over 50 include-only items', '2.41', 'tracker', Array.from({ length: 51 }, (_, i) => `A${i}`).join(','), 'INVALID_FILTER',
      'Query item or filter is invalid: A50', 400],
  ])('%s', (_name, version, api, raw, code, message, status) => {
    const error = caught(() => parse(version, api, raw));
    expect({ code: error.code, message: error.message, status: error.status }).toEqual({ code, message, status });
  });

  it('uses the Attributes wording for the attribute parameter', () => {
    const error = caught(() => parse('2.35', 'legacy', ['A', 'A:EQ:x'], 'attribute'));
    expect([error.code, error.message]).toEqual(['DUPLICATE_ATTRIBUTE', 'Attributes cannot be specified more than once: [A]']);
  });

  it('rejects unknown attributes when told which exist', () => {
    const error = caught(() =>
      parseAttributeFilters('A:EQ:1,Z:EQ:2', { version: v('2.41'), api: 'tracker', attributeExists: (u) => u === 'A' }));
    expect([error.code, error.message, error.status]).toEqual(['UNKNOWN_ATTRIBUTE', 'Attribute does not exist: Z', 400]);
  });

  it('lets the caller run the duplicate check itself', () => {
    const filters = parseAttributeFilters(['A:EQ:x', 'A:EQ:y'], { version: v('2.37'), api: 'legacy', checkDuplicates: false });
    expect(filters).toHaveLength(2);
    expect(duplicateFilterError(filters, 'filter')?.message).toBe('Filters cannot be specified more than once: [A]');
    expect(duplicateFilterError(filters.slice(0, 1), 'filter')).toBeNull();
  });
});

describe('parseAttributeFilters: properties', () => {
  const uid = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{10}$/);
  const op = fc.constantFrom('eq', 'ne', 'like', 'gt', 'ge', 'lt', 'le', 'sw', 'ew');
  const value = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' });
  const escape = (s: string) => s.replace(/[/:,]/g, (ch) => `/${ch}`);

  it('2.41+ escaping round-trips any value', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ attribute: uid, pairs: fc.array(fc.tuple(op, value), { minLength: 1, maxLength: 2 }) }), {
          minLength: 1, maxLength: 5, selector: (f) => f.attribute,
        }),
        fc.constantFrom('2.41', '2.42'),
        (filters, version) => {
          const text = filters
            .map((f) => [f.attribute, ...f.pairs.flatMap(([o, val]) => [o, escape(val)])].join(':'))
            .join(',');
          const parsed = parse(version, 'tracker', text);
          expect(parsed).toEqual(
            filters.map((f) => ({ attribute: f.attribute, conditions: f.pairs.map(([o, val]) => c(o.toUpperCase(), val)) })),
          );
        },
      ),
      fcParams,
    );
  });

  it('never throws anything but QueryError, on any input and syntax', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.stringMatching(/^[A:a,/\\;EQeq1 ]{0,300}$/)),
        fc.constantFrom<[string, FilterApi]>(['2.35', 'legacy'], ['2.39', 'legacy'], ['2.40', 'tracker'], ['2.41', 'tracker'], ['2.42', 'tracker']),
        (input, [version, api]) => {
          try {
            const result = parse(version, api, input);
            for (const f of result) for (const cond of f.conditions) expect(cond.values.length).toBeGreaterThan(0);
          } catch (e) {
            expect(e).toBeInstanceOf(QueryError);
          }
        },
      ),
      fcParams,
    );
  });

  it('parses adversarial 10,000-character inputs in linear time', () => {
    const inputs = ['/'.repeat(9_999), '/:'.repeat(4_999), ':'.repeat(9_999), ',/'.repeat(4_999), '\\:'.repeat(4_999), `A${':EQ:'.repeat(1_999)}`];
    const started = performance.now();
    for (const input of inputs) {
      for (const [version, api] of [['2.35', 'legacy'], ['2.40', 'tracker'], ['2.41', 'tracker'], ['2.42', 'tracker']] as const) {
        try {
          parse(version, api, input);
        } catch (e) {
          expect(e).toBeInstanceOf(QueryError);
        }
      }
    }
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
