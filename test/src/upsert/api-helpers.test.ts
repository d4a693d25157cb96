import { describe, it, expect } from 'vitest';
import { classifyConflicts } from '../../../src/upsert/api/conflicts.js';
import { inSafe, keyFilter } from '../../../src/upsert/api/filter.js';
import { chooseApi, validateApiChoice } from '../../../src/upsert/api/select.js';
import { parseDhis2Version } from '../../../src/client/version.js';
import { InvalidOptionsError, InvalidRecordError } from '../../../src/errors.js';

const v = (s: string) => parseDhis2Version(s);

describe('classifyConflicts', () => {
  it.each([
    [[{ object: 'Attribute.value', value: "Non-unique attribute value 'X' for attribute lZGmxYbs97q" }], 'non-unique'],
    [[{ value: 'Non-unique attribute value `X` for attribute `Y`', errorCode: 'E1064' }], 'non-unique'],
    [[{ value: 'TrackedEntity: `Q`, is already deleted and cannot be modified.', errorCode: 'E1114' }], 'uid-deleted'],
    [[{ object: 'TrackedEntityInstance', value: 'You are trying to add or update tracked entity instance Q that has already been deleted' }], 'uid-deleted'],
    [[{ value: 'Tracked entity instance Q already exists or was deleted earlier' }], 'uid-deleted'],
    [[{ object: 'TrackedEntityInstance', value: 'Tracked entity instance Qv1lzYmU2d4 does not exist' }], 'not-found'],
    [[{ value: 'TrackedEntity: `Q`, does not exist.', errorCode: 'E1063' }], 'not-found'],
    [[{ object: 'OrganisationUnit', value: 'Org unit null does not exist' }], 'other'],
    [[{ object: 'Attribute.attribute', value: 'Invalid attribute X' }], 'other'],
    [[{ value: 'Non-unique attribute value `X` for attribute `Y`', errorCode: 'E1064' }, { value: 'Attribute: `Z`, does not exist.', errorCode: 'E1006' }], 'other'],
    [[], 'other'],
    [[{ value: 'The import process failed: could not execute statement; constraint [uk_rbr4kyuk4s0kb4jo1r77cuaq9]; duplicate key value violates unique constraint "uk_rbr4kyuk4s0kb4jo1r77cuaq9" Detail: Key (uid)=(AxvwQ1URM0Y) already exists.' }], 'uid-taken'],
    [[{ value: 'Exception:duplicate key value violates unique constraint "uk_rbr4kyuk4s0kb4jo1r77cuaq9"' }], 'uid-taken'],
  ])('%j → %s', (conflicts, kind) => {
    expect(classifyConflicts(conflicts)).toBe(kind);
  });
});

describe('keyFilter', () => {
  it('uses EQ for one value and IN for several', () => {
    expect(keyFilter('legacy', v('2.38'), 'A', ['x'])).toBe('A:EQ:x');
    expect(keyFilter('tracker', v('2.41'), 'A', ['x', 'y'])).toBe('A:IN:x;y');
  });
  it('escapes per version and falls back to LIKE when a value cannot be carried', () => {
    expect(keyFilter('legacy', v('2.39'), 'A', ['a:b,c'])).toBe('A:LIKE:a');
    expect(keyFilter('legacy', v('2.39'), 'A', ['ab:cde'])).toBe('A:LIKE:cde');
    expect(keyFilter('tracker', v('2.39'), 'A', ['x,y'])).toBe('A:LIKE:x');
    expect(keyFilter('tracker', v('2.40'), 'A', ['a:b,c'])).toBe('A:EQ:a\\:b\\,c');
    expect(keyFilter('tracker', v('2.40'), 'A', ['a\\b:c'])).toBe('A:LIKE:a');
    expect(keyFilter('tracker', v('2.41'), 'A', ['a/b:c,d'])).toBe('A:EQ:a//b/:c/,d');
    expect(keyFilter('tracker', v('2.42'), 'A', [' padded '])).toBe('A:EQ:padded');
    expect(() => keyFilter('legacy', v('2.35'), 'A', [':,:'])).toThrow(InvalidRecordError);
  });
  it('knows which values fit an IN list', () => {
    expect(inSafe('legacy', v('2.35'), 'abc')).toBe(true);
    expect(inSafe('legacy', v('2.35'), 'a;b')).toBe(false);
    expect(inSafe('legacy', v('2.35'), 'a:b')).toBe(false);
    expect(inSafe('tracker', v('2.41'), 'a:b')).toBe(true);
  });
});

describe('chooseApi', () => {
  it('auto: legacy on 2.35, tracker from 2.36', () => {
    expect(chooseApi('auto', v('2.35.14')).kind).toBe('legacy');
    for (const s of ['2.36', '2.40.3', '2.41', '2.42.1']) expect(chooseApi('auto', v(s)).kind).toBe('tracker');
  });
  it('refuses legacy on 2.42 and tracker on 2.35', () => {
    expect(() => chooseApi('legacy', v('2.42.0'))).toThrow(InvalidOptionsError);
    expect(() => chooseApi('tracker', v('2.35.1'))).toThrow(InvalidOptionsError);
    expect(chooseApi('legacy', v('2.41')).kind).toBe('legacy');
  });
  it('validates the option', () => {
    expect(validateApiChoice(undefined)).toBe('auto');
    expect(() => validateApiChoice('new')).toThrow(InvalidOptionsError);
  });
});
