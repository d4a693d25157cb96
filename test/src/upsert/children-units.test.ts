/** The enrollment/event building blocks, table-driven: conflict kinds, UIDs, adoption, data value merge, program metadata cache. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/errors.js';
import { CountingHttp } from '../../../src/upsert/api/http.js';
import { classifyChildConflicts } from '../../../src/upsert/children/conflicts.js';
import { mergeDataValues, requiredExtras, sameDate } from '../../../src/upsert/children/data-values.js';
import { pickEnrollment } from '../../../src/upsert/children/enrollment.js';
import { programMeta } from '../../../src/upsert/children/program-meta.js';
import { enrollmentUid, eventUid } from '../../../src/upsert/children/uids.js';

describe('classifyChildConflicts', () => {
  it.each([
    [[{ value: 'Enrollment: `X`, already exists.', errorCode: 'E1080' }], 'exists'],
    [[{ value: 'Event: `X` already exists.', errorCode: 'E1030' }], 'exists'],
    [[{ value: 'Exception:could not execute statement; … Detail: Key (uid)=(Abc12345678) already exists.' }], 'exists'],
    [[{ value: 'The import process failed: duplicate key value violates unique constraint "uk_programinstance_uid"' }], 'exists'],
    [[{ value: 'Enrollment Abc12345678 already exists or was deleted earlier' }], 'exists-or-deleted'],
    [[{ value: 'Event Abc12345678 already exists or was deleted earlier' }], 'exists-or-deleted'],
    [[{ value: 'x', errorCode: 'E1113' }], 'deleted'],
    [[{ value: 'x', errorCode: 'E1082' }], 'deleted'],
    [[{ value: 'x', errorCode: 'E1015' }, { value: 'y', errorCode: 'E1016' }], 'occupied'],
    [[{ value: 'TrackedEntityInstance T already has an active enrollment in program P' }], 'occupied'],
    [[{ value: 'Program stage is not repeatable and an event already exists' }], 'occupied'],
    [[{ value: 'x', errorCode: 'E1039' }], 'occupied'],
    [[{ value: 'x', errorCode: 'E1032' }], 'not-found'],
    [[{ value: 'x', errorCode: 'E1303' }], 'other'],
    [[], 'other'],
  ])('%j → %s', (conflicts, kind) => {
    expect(classifyChildConflicts(conflicts)).toBe(kind);
  });
});

describe('derived UIDs', () => {
  it('an enrollment UID ignores the time of day, and the date only matters when re-enrolling is allowed', () => {
    expect(enrollmentUid('Ent00000001', 'IpHINAT79UW', '2024-01-15')).toBe(enrollmentUid('Ent00000001', 'IpHINAT79UW', '2024-01-15T10:00:00'));
    expect(enrollmentUid('Ent00000001', 'IpHINAT79UW', '2024-01-15')).not.toBe(enrollmentUid('Ent00000001', 'IpHINAT79UW', '2024-01-16'));
    expect(enrollmentUid('Ent00000001', 'IpHINAT79UW', undefined)).not.toBe(enrollmentUid('Ent00000002', 'IpHINAT79UW', undefined));
    expect(enrollmentUid('Ent00000001', 'IpHINAT79UW', undefined, 1)).not.toBe(enrollmentUid('Ent00000001', 'IpHINAT79UW', undefined));
  });
  it('an event UID is the entity, the stage and the trimmed key (case kept)', () => {
    expect(eventUid('Ent00000001', 'A03MvHHogjR', ' v-1 ')).toBe(eventUid('Ent00000001', 'A03MvHHogjR', 'v-1'));
    expect(eventUid('Ent00000001', 'A03MvHHogjR', 'v-1')).not.toBe(eventUid('Ent00000001', 'A03MvHHogjR', 'V-1'));
    expect(eventUid('Ent00000001', 'A03MvHHogjR', 'v-1')).not.toBe(eventUid('Ent00000001', 'ZzYYXq4fJie', 'v-1'));
  });
});

describe('pickEnrollment', () => {
  const e = (uid: string, status: string, enrolledAt = '2023-05-01') => ({ uid, status, enrolledAt });
  it.each([
    ['only-once: the active one', [e('C', 'COMPLETED'), e('A', 'ACTIVE')], true, 'A'],
    ['only-once: a completed one', [e('C', 'COMPLETED')], true, 'C'],
    ['only-once: never a cancelled one', [e('X', 'CANCELLED')], true, undefined],
    ['re-enrollment: the active one', [e('A', 'ACTIVE', '2020-01-01')], false, 'A'],
    ['re-enrollment: a completed one of the same day', [e('C', 'COMPLETED', '2024-01-15T00:00:00.000')], false, 'C'],
    ['re-enrollment: not a completed one of another day', [e('C', 'COMPLETED')], false, undefined],
  ])('%s', (_n, list, once, want) => {
    expect(pickEnrollment(list, once, '2024-01-15')?.uid).toBe(want);
  });
});

describe('data values', () => {
  it('only changes are sent; blank deletes a stored value; equal after trimming is unchanged', () => {
    const stored = [{ dataElement: 'a', value: '1' }, { dataElement: 'b', value: 'x' }];
    expect(mergeDataValues(stored, [{ dataElement: 'a', value: ' 1 ' }, { dataElement: 'b', value: 'y' }, { dataElement: 'c', value: '' }]).dataValues).toEqual([{ dataElement: 'b', value: 'y' }]);
    expect(mergeDataValues(stored, [{ dataElement: 'a', value: '' }]).dataValues).toEqual([{ dataElement: 'a', value: '' }]);
    expect(mergeDataValues(stored, [{ dataElement: 'a', value: '1' }]).changed).toBe(false);
  });
  it('tracker extras: compulsory values not in the payload, as read', () => {
    expect(requiredExtras([{ dataElement: 'w', value: '3' }, { dataElement: 'o', value: '9' }], [{ dataElement: 'o', value: '8' }], ['w', 'm'])).toEqual([{ dataElement: 'w', value: '3' }]);
  });
  it.each([
    ['2024-01-20T00:00:00.000', '2024-01-20', true],
    ['2024-01-20T00:00:00.000', '2024-01-21', false],
    ['2024-01-20T10:00:00.000', '2024-01-20T10:00:00Z', true],
    [undefined, '2024-01-20', false],
  ])('sameDate(%s, %s) = %s', (a, b, want) => {
    expect(sameDate(a, b)).toBe(want);
  });
});

describe('program metadata', () => {
  it('a failed read is not cached; an answer is', async () => {
    let calls = 0;
    const client = {
      get: async () => {
        calls++;
        if (calls === 1) throw new HttpError({ status: 503, method: 'GET', url: 'programs/P', body: '', outcomeUnknown: false } as never);
        return { status: 200, body: { id: 'P', onlyEnrollOnce: true, programStages: [{ id: 'S', repeatable: false, programStageDataElements: [{ compulsory: true, dataElement: { id: 'D' } }] }] } };
      },
    };
    const http = new CountingHttp(client as never);
    await expect(programMeta(http, 'P')).rejects.toThrow();
    const meta = await programMeta(http, 'P');
    expect(meta.onlyEnrollOnce).toBe(true);
    expect(meta.stages.get('S')).toMatchObject({ repeatable: false, compulsory: ['D'] });
    await programMeta(http, 'P');
    expect(calls).toBe(2);
  });
});
