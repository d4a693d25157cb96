/**
 * `import { useMockDhis2 } from 'dhis2-upsert-harness/vitest'`: one emulator per test file, reset
 * before each test, closed after the file. Needs vitest in the calling project.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createMockDhis2, type CreateMockOptions, type MockDhis2 } from '../mock-server/index.js';

export interface MockHandle {
  /** the running emulator (available inside tests) */
  readonly mock: MockDhis2;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** `{ baseUrl, username, password }` for an upsert implementation */
  readonly ctx: { baseUrl: string; username: string; password: string };
}

export function useMockDhis2(options: CreateMockOptions = {}): MockHandle {
  let mock: MockDhis2 | undefined;
  let baseUrl = '';
  beforeAll(async () => {
    mock = await createMockDhis2({ log: () => {}, ...options });
    baseUrl = await mock.listen(0, '127.0.0.1');
  });
  beforeEach(async () => {
    await mock?.admin.reset();
  });
  afterAll(async () => {
    await mock?.close();
  });
  const need = () => {
    if (!mock) throw new Error('useMockDhis2(): the emulator starts in beforeAll; use the handle inside tests or hooks.');
    return mock;
  };
  return {
    get mock() {
      return need();
    },
    get baseUrl() {
      need();
      return baseUrl;
    },
    get ctx() {
      need();
      return { baseUrl, username: 'admin', password: 'district' };
    },
  };
}
