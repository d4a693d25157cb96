/**
 * The admin token is compared in constant time (issue 15, item 10): a plain `===` on the header
 * returns as soon as a character differs, which leaks how much of a guess was right. Both sides are
 * hashed to equal-length digests and compared with `crypto.timingSafeEqual`, whatever the guess's
 * length; observed here by counting the comparisons (a time measurement would be flaky).
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';

const comparisons = vi.hoisted(() => [] as [number, number][]);
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    comparisons.push([a.byteLength, b.byteLength]);
    return real.timingSafeEqual(a, b);
  };
  return { ...real, timingSafeEqual, default: { ...real, timingSafeEqual } };
});

const TOKEN = 'adm-T0ken-constant-time';
let mock: MockDhis2;
beforeEach(async () => {
  mock ??= await createMockDhis2({ adminToken: TOKEN, seed: 1, log: () => {} });
  comparisons.length = 0;
});
afterAll(() => mock.close());

describe('admin token comparison (item 10)', () => {
  it.each([
    ['the right token', `Bearer ${TOKEN}`, 200],
    ['a wrong token of the same length', `Bearer ${TOKEN.replace(/.$/, 'X')}`, 401],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 5)}`, 401],
    ['the token and more', `Bearer ${TOKEN}${TOKEN}`, 401],
    ['an empty bearer', 'Bearer ', 401],
    ['another scheme', `Basic ${TOKEN}`, 401],
  ])('%s → %s, decided by one timingSafeEqual on equal-length digests', async (_name, header, status) => {
    const res = await request(mock.app).get('/__admin/state').set('Authorization', header);
    expect(res.status).toBe(status);
    expect(comparisons).toHaveLength(1);
    expect(comparisons[0][0]).toBe(comparisons[0][1]);
    expect(comparisons[0][0]).toBeGreaterThanOrEqual(32);
  });

  it('no Authorization header → 401 (nothing to compare)', async () => {
    expect((await request(mock.app).get('/__admin/state')).status).toBe(401);
  });
});
