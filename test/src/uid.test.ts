import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  deterministicUid,
  isValidUid,
  keyUid,
  keyValue,
  randomUid,
  UID_ALPHANUMERIC,
  UID_LETTERS,
  UID_SCHEME_VERSION,
} from '../../src/uid.js';
import { InvalidRecordError } from '../../src/errors.js';

const seed = Number(process.env.FC_SEED ?? 20240601);
console.log(`[uid.test] fast-check seed ${seed} (set FC_SEED to change)`);

describe('isValidUid', () => {
  it('accepts DHIS2 UIDs and rejects everything else', () => {
    for (const ok of ['nEenWmSyUEp', 'a0000000000', 'Z9z9z9z9z9z']) expect(isValidUid(ok)).toBe(true);
    for (const bad of ['', '0EenWmSyUEp', 'nEenWmSyUE', 'nEenWmSyUEpX', 'nEenWmSyUE-', 'nEenWmSyUÉp', ' nEenWmSyUE', 42, null]) {
      expect(isValidUid(bad)).toBe(false);
    }
  });
});

describe('randomUid', () => {
  it('is always valid and uses the whole alphabet', () => {
    const seen = new Set<string>();
    const firsts = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const u = randomUid();
      expect(isValidUid(u)).toBe(true);
      seen.add(u);
      firsts.add(u[0]);
      for (const ch of u.slice(1)) expect(UID_ALPHANUMERIC.includes(ch)).toBe(true);
    }
    expect(seen.size).toBe(5000);
    // 5000 draws over 52 letters: missing one has probability ~52·e^-96.
    expect(firsts.size).toBe(52);
  });
});

describe('deterministicUid (scheme v1, FROZEN)', () => {
  it('has the documented alphabets and version', () => {
    expect(UID_SCHEME_VERSION).toBe(1);
    expect(UID_LETTERS).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(UID_ALPHANUMERIC).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  });

  // Computed once by an independent Python implementation of the same scheme. Never edit:
  // a change here means entities created by earlier releases would no longer be found by UID.
  const vectors: Array<[string[], string]> = [
    [['tei'], 'QSkd3d34Mav'],
    [['tei', 'nEenWmSyUEp', 'lZGmxYbs97q', 'ABC-123'], 'xDAWuoRTljt'],
    [['tei', 'nEenWmSyUEp', 'lZGmxYbs97q', 'abc-123'], 'ARuMw2oHabT'],
    [['tei', 'ab', 'c'], 'r34oRb6VxW1'],
    [['tei', 'a', 'bc'], 'dvsMuvAk90x'],
    [['x', ''], 'ShofcJ8lG5N'],
    [['x'], 'xOnpzOImrrh'],
    [['tei', 'Ünïcødé ✓ 日本'], 'zXO0a04LxLV'],
    [[''], 'dM2aPHaUs5m'],
  ];
  it.each(vectors)('frozen vector %j → %s', (input, expected) => {
    const [ns, ...parts] = input;
    expect(deterministicUid(ns, ...parts)).toBe(expected);
  });

  it('keyUid hashes (tei, type, attribute, normalised value): key derivation v2', () => {
    const rec = {
      trackedEntityType: 'nEenWmSyUEp',
      matchAttribute: 'lZGmxYbs97q',
      attributes: [{ attribute: 'w75KJ2mc4zz', value: 'Joe' }, { attribute: 'lZGmxYbs97q', value: 'ABC-123' }],
    };
    // v1 hashed the value verbatim ('ABC-123' → xDAWuoRTljt); v2 hashes one spelling per key
    expect(keyUid(rec)).toBe('ARuMw2oHabT');
    expect(keyUid(rec)).toBe(deterministicUid('tei', 'nEenWmSyUEp', 'lZGmxYbs97q', 'abc-123'));
    expect(keyUid({ ...rec, attributes: [{ attribute: 'lZGmxYbs97q', value: ' abc-123 ' }] })).toBe('ARuMw2oHabT');
    expect(keyValue(rec)).toBe('ABC-123');
  });

  it('keyUid refuses a record without a key value', () => {
    const rec = { trackedEntityType: 'nEenWmSyUEp', matchAttribute: 'lZGmxYbs97q', attributes: [] };
    expect(() => keyUid(rec)).toThrow(InvalidRecordError);
  });

  it('property: always a valid UID, and stable', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 4 }), (ns, parts) => {
        const u = deterministicUid(ns, ...parts);
        expect(isValidUid(u)).toBe(true);
        expect(deterministicUid(ns, ...parts)).toBe(u);
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('property: part boundaries matter (no concatenation collisions)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a.length > 1);
        const split = deterministicUid('tei', a.slice(0, 1), a.slice(1) + b);
        expect(split).not.toBe(deterministicUid('tei', a, b));
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('no collisions over 200k distinct inputs', () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 200_000; i++) {
      const value = `NID-${i}`;
      const u = deterministicUid('tei', 'nEenWmSyUEp', 'lZGmxYbs97q', value);
      const prev = seen.get(u);
      if (prev !== undefined) throw new Error(`collision: ${prev} and ${value} → ${u}`);
      seen.set(u, value);
    }
    expect(seen.size).toBe(200_000);
  });
});
