import { describe, it, expect } from 'vitest';
import { encodeQuery, normaliseBaseUrl, resolvePath } from '../../../src/client/url.js';
import { parseDhis2Version, versionAtLeast } from '../../../src/client/version.js';
import { HarnessError } from '../../../src/errors.js';

describe('normaliseBaseUrl', () => {
  it.each([
    ['http://host', 'http://host', '', '/api', undefined],
    ['http://host/', 'http://host', '', '/api', undefined],
    ['http://host/api', 'http://host', '', '/api', undefined],
    ['http://host/api/', 'http://host', '', '/api', undefined],
    ['http://host/api/40', 'http://host', '', '/api/40', 40],
    ['http://host:8080/api/40/', 'http://host:8080', '', '/api/40', 40],
    ['https://host/dhis', 'https://host', '/dhis', '/dhis/api', undefined],
    ['https://host/dhis/api/', 'https://host', '/dhis', '/dhis/api', undefined],
    ['https://host/a/b/api/39', 'https://host', '/a/b', '/a/b/api/39', 39],
  ])('%s', (input, origin, contextPath, apiPrefix, apiVersion) => {
    expect(normaliseBaseUrl(input)).toEqual({ origin, contextPath, apiPrefix, apiVersion });
  });

  it('resolves API-relative and /api-absolute paths', () => {
    const b = normaliseBaseUrl('http://h/dhis/api/40');
    expect(resolvePath(b, 'tracker')).toBe('/dhis/api/40/tracker');
    expect(resolvePath(b, '/system/info')).toBe('/dhis/api/40/system/info');
    expect(resolvePath(b, '/api/system/info')).toBe('/dhis/api/system/info');
    expect(resolvePath(b, 'apiToken')).toBe('/dhis/api/40/apiToken');
  });

  it('encodes queries, repeating arrays and dropping undefined', () => {
    expect(encodeQuery({ a: 'x;y', b: undefined, c: [1, 'z'], d: true, e: null })).toBe('?a=x%3By&c=1&c=z&d=true');
    expect(encodeQuery({})).toBe('');
  });
});

describe('parseDhis2Version', () => {
  it.each([
    ['2.40.12', 40, 12, false],
    ['2.39.1.1', 39, 1, false],
    ['2.41-SNAPSHOT', 41, 0, true],
    ['2.35', 35, 0, false],
    ['2.42.0-rc1', 42, 0, false],
  ])('%s', (raw, minor, patch, snapshot) => {
    expect(parseDhis2Version(raw)).toEqual({ minor, patch, raw, snapshot });
  });
  it('rejects garbage', () => {
    expect(() => parseDhis2Version('v40')).toThrow(HarnessError);
  });
  it('compares', () => {
    const v = parseDhis2Version('2.39.6');
    expect(versionAtLeast(v, 39, 6)).toBe(true);
    expect(versionAtLeast(v, 39, 7)).toBe(false);
    expect(versionAtLeast(v, 38)).toBe(true);
    expect(versionAtLeast(v, 40)).toBe(false);
  });
});
