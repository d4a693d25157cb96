import request from 'supertest';
import { createMockDhis2, type CreateMockOptions, type MockDhis2 } from '../../mock-server/index.js';

export const ADMIN = 'Basic ' + Buffer.from('admin:district').toString('base64');
export const BO_CLERK = 'Basic ' + Buffer.from('bo_clerk:District1!').toString('base64');

/** An in-process emulator driven through supertest (no port), atomic by default for determinism. */
export async function emulator(opts: CreateMockOptions = {}) {
  const mock: MockDhis2 = await createMockDhis2({ uniqueness: 'atomic', seed: 42, log: () => {}, ...opts });
  const agent = request(mock.app);
  return {
    mock,
    get: (path: string, auth = ADMIN) => agent.get(path).set('Authorization', auth),
    post: (path: string, body: unknown, auth = ADMIN) => agent.post(path).set('Authorization', auth).send(body as object),
    put: (path: string, body: unknown, auth = ADMIN) => agent.put(path).set('Authorization', auth).send(body as object),
    del: (path: string, auth = ADMIN) => agent.delete(path).set('Authorization', auth),
    raw: agent,
  };
}
