import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveApiToken, v1Token } from '../../../mock-server/dhis2/api-token.js';
import { sqlTimestamp } from '../../../mock-server/dhis2/legacy/grid.js';
import { integerParam } from '../../../mock-server/dhis2/system-params.js';
import { Dhis2Version, SUPPORTED_MINORS } from '../../../mock-server/dhis2/versions.js';
import { mapsApiVersion } from '../../../mock-server/routes/api-path.js';
import { describeInvalidUtf8 } from '../../../mock-server/routes/body-encoding.js';
import { announceSeed } from '../../properties/fc-config.js';

const v = (s: string) => Dhis2Version.parse(s);

describe('Jackson-style invalid UTF-8 descriptions (UTF8StreamJsonParser)', () => {
  it.each([
    [[0x7b, 0xff, 0x7d], 'Invalid UTF-8 start byte 0xff'],
    [[0x80], 'Invalid UTF-8 start byte 0x80'],
    [[0xc3, 0x41], 'Invalid UTF-8 middle byte 0x41'],
    [[0xe2, 0x82], 'Unexpected end-of-input in a UTF-8 sequence'],
  ])('%j → %s', (bytes, message) => {
    expect(describeInvalidUtf8(Uint8Array.from(bytes))).toBe(message);
  });
});

describe('API tokens (ApiTokenResolver, ApiTokenType)', () => {
  const good = v1Token('abcdefghijklmnopqrstuvwxyz012345');
  it.each([
    [`ApiToken ${good}`, '2.37', { ok: true, token: good }],
    [`APITOKEN ${good}`, '2.41', { ok: true, token: good }],
    [`ApiToken ${good.slice(0, -1)}${(Number(good.slice(-1)) + 1) % 10}`, '2.40', { ok: false, status: 400, message: 'Checksum validation failed for token' }],
    ['ApiToken d2pat_short1', '2.40', { ok: false, status: 400, message: 'Checksum validation failed for token' }],
    ['ApiToken d2p_Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa123456', '2.40', { ok: true, token: 'd2p_Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa123456' }],
    ['ApiToken d2p_Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa123456', '2.39', { ok: false, status: 400, message: 'Could not resolve token type' }],
    ['ApiToken notype', '2.40', { ok: false, status: 400, message: 'Could not resolve token type' }],
    ['ApiToken a b', '2.40', { ok: false, status: 401, message: 'Api token is malformed' }],
    ['ApiTokenx y', '2.40', { ok: false, status: 401, message: 'Api token is malformed' }],
  ])('%s on %s', (header, version, verdict) => {
    expect(resolveApiToken(header, v(version))).toEqual(verdict);
  });

  it('v1Token refuses a code that is not 32 letters or digits', () => {
    expect(() => v1Token('short')).toThrow(/32 letters or digits/);
  });
});

describe('Integer request parameters (Spring NumberUtils.parseNumber)', () => {
  it.each([['7', 7], [' 7 ', 7], ['+5', 5], ['-3', -3], ['0x10', 16], ['#1f', 31], ['', 1]] as const)('%j → %i', (raw, n) => {
    expect(integerParam(raw, 'limit', 1, v('2.40'))).toBe(n);
  });

  it('repeats bind the first value; absent gives the default', () => {
    expect(integerParam(['2', '9'], 'limit', 1, v('2.40'))).toBe(2);
    expect(integerParam(undefined, 'limit', 1, v('2.40'))).toBe(1);
  });

  it.each(['abc', '1.5', '2147483648', '1e3'])('%j is a 400 type mismatch, worded per Spring release', (raw) => {
    expect(() => integerParam(raw, 'limit', 1, v('2.41'))).toThrow(/^Failed to convert value of type 'java\.lang\.String' to required type 'java\.lang\.Integer'; nested exception is java\.lang\.NumberFormatException/);
    expect(() => integerParam(raw, 'limit', 1, v('2.42'))).toThrow(/^Method parameter 'limit': Failed to convert .*; For input string/);
  });
});

describe('the /api/NN/ prefixes a release maps (DhisApiVersion V28 … V<release>)', () => {
  const prefixRule = (maps: typeof mapsApiVersion) =>
    fc.property(fc.constantFrom(...SUPPORTED_MINORS), fc.integer({ min: 0, max: 150 }), (minor, n) => maps(v(`2.${minor}`), n) === (n >= 28 && n <= minor));

  it('property: mapped exactly when 28 ≤ N ≤ the release number', () => {
    const seed = announceSeed('fidelity');
    fc.assert(prefixRule(mapsApiVersion), { seed, numRuns: 500 });
  });

  it('the property catches an emulator that maps the next release too (the issue\'s /api/40 on 2.36)', () => {
    const seed = announceSeed('fidelity');
    const lenient = (version: Dhis2Version, n: number) => n >= 28 && n <= version.minor + 1;
    expect(fc.check(prefixRule(lenient), { seed, numRuns: 500 }).failed).toBe(true);
  });
});

describe('grid timestamps as PostgreSQL prints them', () => {
  it.each([
    ['2024-03-01T10:15:30.123', '2024-03-01 10:15:30.123'],
    ['2024-03-01T10:15:30.120', '2024-03-01 10:15:30.12'],
    ['2024-03-01T10:15:30.000', '2024-03-01 10:15:30'],
  ])('%s → %s', (input, output) => {
    expect(sqlTimestamp(input)).toBe(output);
  });
});
