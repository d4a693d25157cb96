import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mergeAttributes } from '../../../src/upsert/merge.js';
import { createUidFor, keyOf, selectMatches } from '../../../src/upsert/key.js';
import { defaultMeta, sameKeyValue } from '../../../src/upsert/attribute-meta.js';
import { parseRecord } from '../../../src/upsert/record.js';
import { keyUid } from '../../../src/uid.js';
import { InvalidRecordError } from '../../../src/errors.js';

const seed = Number(process.env.FC_SEED ?? 20240601);
console.log(`[merge-key.test] fast-check seed ${seed}`);

const T = 'nEenWmSyUEp';
const K = 'lZGmxYbs97q';
const F = 'w75KJ2mc4zz';
const L = 'zDhUuAYrxNC';
const OU = 'DiszpKrYNg8';

describe('mergeAttributes', () => {
  it('sends only what changes: overridden and new values; the server keeps the rest', () => {
    const r = mergeAttributes(
      [{ attribute: K, value: '1' }, { attribute: F, value: 'Ann' }],
      [{ attribute: F, value: 'Anna' }, { attribute: L, value: 'Lee' }],
    );
    expect(r.changed).toBe(true);
    expect(r.attributes).toEqual([{ attribute: F, value: 'Anna' }, { attribute: L, value: 'Lee' }]);
  });

  it('reports unchanged when every sent value is already stored (modulo trimming)', () => {
    const r = mergeAttributes([{ attribute: K, value: '1' }, { attribute: F, value: 'Ann' }], [{ attribute: F, value: ' Ann ' }, { attribute: L, value: '' }]);
    expect(r.changed).toBe(false);
    expect(r.attributes).toEqual([]);
  });

  it('passes a blank value for an existing attribute through (DHIS2 deletes it)', () => {
    const r = mergeAttributes([{ attribute: F, value: 'Ann' }], [{ attribute: F, value: '' }]);
    expect(r.changed).toBe(true);
    expect(r.attributes).toEqual([{ attribute: F, value: '' }]);
  });

  it('property: applying the update as DHIS2 merges yields stored + record, and nothing unchanged is sent', () => {
    const attr = fc.constantFrom<string>(K, F, L, 'iESIqZ0R0R0', 'P2cwLGskgxn');
    const list = fc.uniqueArray(fc.record({ attribute: attr, value: fc.string({ minLength: 1, maxLength: 5 }) }), { selector: (a) => a.attribute });
    const same = (a: string | undefined, b: string) => a === b || a === b.trim() || (a === undefined && b.trim() === '');
    fc.assert(
      fc.property(list, list, (existing, wanted) => {
        const { attributes, changed } = mergeAttributes(existing, wanted);
        const stored = new Map<string, string>(existing.map((a) => [a.attribute, a.value]));
        const applied = new Map(stored);
        for (const a of attributes) if (a.value.trim() === '') applied.delete(a.attribute); else applied.set(a.attribute, a.value);
        // what the record does not mention is untouched; what it mentions ends up as it says
        for (const e of existing) if (!wanted.some((w) => w.attribute === e.attribute)) expect(applied.get(e.attribute)).toBe(e.value);
        for (const w of wanted) expect(same(applied.get(w.attribute), w.value)).toBe(true);
        // nothing is sent that would not change a stored value
        for (const a of attributes) expect(same(stored.get(a.attribute), a.value)).toBe(false);
        expect(changed).toBe(attributes.length > 0);
      }),
      { seed, numRuns: 1000 },
    );
  });
});

describe('parseRecord', () => {
  const ok = { trackedEntityType: T, orgUnit: OU, matchAttribute: K, attributes: [{ attribute: K, value: 'X' }] };
  it('accepts the interface shape and coerces numbers', () => {
    expect(parseRecord({ ...ok, attributes: [{ attribute: K, value: 12 }] }).attributes).toEqual([{ attribute: K, value: '12' }]);
  });
  it.each([
    ['bad uid', { ...ok, orgUnit: 'nope' }],
    ['no attributes', { ...ok, attributes: [] }],
    ['no key', { ...ok, attributes: [{ attribute: F, value: 'a' }] }],
    ['blank key', { ...ok, attributes: [{ attribute: K, value: '  ' }] }],
    ['conflicting duplicate', { ...ok, attributes: [{ attribute: K, value: 'X' }, { attribute: K, value: 'Y' }] }],
    ['not an object', 'x'],
  ])('rejects %s', (_name, input) => {
    expect(() => parseRecord(input)).toThrow(InvalidRecordError);
  });
});

describe('key selection', () => {
  const rec = parseRecord({ trackedEntityType: T, orgUnit: OU, matchAttribute: K, attributes: [{ attribute: K, value: 'Abc-1' }] });
  const e = (uid: string, v: string, orgUnit = OU) => ({ uid, orgUnit, trackedEntityType: T, attributes: [{ attribute: K, value: v }] });

  it('generation 0 of a global key is keyUid(record)', () => {
    expect(createUidFor(keyOf(rec, defaultMeta(K)))).toBe(keyUid(rec));
    expect(createUidFor(keyOf(rec, defaultMeta(K)), 1)).not.toBe(keyUid(rec));
    const scoped = keyOf(rec, { ...defaultMeta(K), orgunitScope: true, unique: true });
    expect(scoped.orgUnit).toBe(OU);
    expect(createUidFor(scoped)).not.toBe(keyUid(rec));
  });

  it.each([
    ['legacy', false], ['legacy', true], ['tracker', false], ['tracker', true],
  ] as const)('every spelling of the key matches: two spellings are two entities, and ambiguous (%s API, unique %s)', (api, unique) => {
    const meta = { ...defaultMeta(K), unique };
    const found = [e('AAAAAAAAAAA', 'abc-1'), e('BBBBBBBBBBB', ' ABC-1 ')];
    const k = keyOf(rec, meta);
    expect(selectMatches(found, k, meta, api).map((x) => x.uid)).toEqual(['AAAAAAAAAAA', 'BBBBBBBBBBB']);
    expect(selectMatches([e('CCCCCCCCCCC', 'Abc-1')], k, meta, api).map((x) => x.uid)).toEqual(['CCCCCCCCCCC']);
    expect(selectMatches([e('DDDDDDDDDDD', 'abc-2'), e('EEEEEEEEEEE', 'abc-10')], k, meta, api)).toEqual([]);
  });

  it('every spelling of a key derives one UID (key derivation v2: trimmed, lower-cased; numbers canonical)', () => {
    const spelt = (value: string) => createUidFor({ trackedEntityType: 'nEenWmSyUEp', attribute: K, value });
    expect(spelt(' ABC-1')).toBe(spelt('abc-1'));
    expect(spelt('Abc-1 ')).toBe(spelt('abc-1'));
    expect(spelt('abc-10')).not.toBe(spelt('abc-1'));
    const num = (value: string) => createUidFor({ trackedEntityType: 'nEenWmSyUEp', attribute: K, value, valueType: 'INTEGER' });
    expect(num('007')).toBe(num('7'));
  });

  it('org-unit-scoped keys ignore entities registered elsewhere', () => {
    const meta = { ...defaultMeta(K), unique: true, orgunitScope: true };
    const k = keyOf(rec, meta);
    expect(selectMatches([e('AAAAAAAAAAA', 'Abc-1', 'g8upMTyEZGZ'), e('BBBBBBBBBBB', 'Abc-1')], k, meta, 'tracker').map((x) => x.uid)).toEqual(['BBBBBBBBBBB']);
  });

  it('numeric values compare numerically', () => {
    const meta = { ...defaultMeta(K), valueType: 'NUMBER' };
    expect(sameKeyValue(meta, '12.0', '12')).toBe(true);
    expect(sameKeyValue(meta, '12', '13')).toBe(false);
    expect(sameKeyValue(defaultMeta(K), '12.0', '12')).toBe(false);
    expect(sameKeyValue(defaultMeta(K), ' SL-1', 'sl-1')).toBe(true);
  });
});
