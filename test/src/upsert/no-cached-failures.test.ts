/**
 * Nothing learned from a failed response is cached (issue: faults on every request). One test per
 * cache the core has: the detected version, the key attribute's metadata. Each cache is hit by a
 * 429 (or a 503) first; the next read must ask the server again and get the real answer. (The
 * mandatory-attribute cache is gone: updates go where partial updates merge instead.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, MetadataAccessError } from '../../../src/errors.js';
import { attributeMeta } from '../../../src/upsert/attribute-meta.js';
import { CountingHttp } from '../../../src/upsert/api/http.js';
import { A, type Env, startEnv } from './helpers.js';

describe('no failed answer is cached', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startEnv('2.40', 'atomic');
  });
  afterEach(() => env.close());

  it.each([
    ['a 429 with Retry-After', { kind: 'rate-limit' as const, status: 429 as const, retryAfterSeconds: 0 }],
    ['a 503', { kind: 'error-before-commit' as const, status: 503 as const }],
  ])('key attribute metadata: %s, then the real answer (org-unit scoped)', async (_name, fault) => {
    env.mock.admin.faults.install({ rules: [{ ...fault, path: '/api/trackedEntityAttributes/**', times: 1 }] });
    const http = new CountingHttp(env.client);
    await expect(attributeMeta(http, A.facilityRegNo)).rejects.toMatchObject({ status: fault.status });
    // a cache that kept the failure would answer "not unique, not scoped" here, and merge patients
    await expect(attributeMeta(http, A.facilityRegNo)).resolves.toMatchObject({ unique: true, orgunitScope: true });
    expect(http.count).toBe(2);
    // and the answer is cached
    await attributeMeta(http, A.facilityRegNo);
    expect(http.count).toBe(2);
  });

  it('key attribute metadata: a 404 gives plain defaults, and is asked again next time', async () => {
    const http = new CountingHttp(env.client);
    await expect(attributeMeta(http, 'NoSuchAttr1')).resolves.toMatchObject({ unique: false, orgunitScope: false });
    await attributeMeta(http, 'NoSuchAttr1');
    expect(http.count).toBe(2);
  });

  it('key attribute metadata: a 403 is an error naming what to grant, never a guess', async () => {
    // the emulator lets every user read metadata; a DHIS2 without metadata sharing answers 403
    class Forbidden extends CountingHttp {
      override get<T>(): Promise<never & T> {
        this.count++;
        return Promise.reject(new HttpError({ status: 403, method: 'GET', url: 'trackedEntityAttributes', body: {} }));
      }
    }
    await expect(attributeMeta(new Forbidden(env.client), A.nationalId)).rejects.toBeInstanceOf(MetadataAccessError);
  });

  it('detected version: a 503 on /api/system/info, then the real version', async () => {
    env.mock.admin.faults.install({ rules: [{ kind: 'error-before-commit', status: 503, path: '/api/system/info', times: 1 }] });
    await expect(env.client.detectVersion()).rejects.toMatchObject({ status: 503 });
    await expect(env.client.detectVersion()).resolves.toMatchObject({ minor: 40 });
  });
});
