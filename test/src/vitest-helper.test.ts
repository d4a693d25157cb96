import { describe, expect, it } from 'vitest';
import { useMockDhis2 } from '../../src/vitest.js';

describe('dhis2-upsert-harness/vitest useMockDhis2', () => {
  const dhis2 = useMockDhis2({ dhis2Version: '2.39', uniqueness: 'atomic', seed: 3 });
  const auth = { Authorization: 'Basic ' + Buffer.from('admin:district').toString('base64'), 'Content-Type': 'application/json' };

  it('serves the requested version on a loopback port', async () => {
    expect(dhis2.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await (await fetch(`${dhis2.baseUrl}/api/system/info`, { headers: auth })).json();
    expect(info.version).toBe('2.39.10');
  });

  it('starts each test from the fixture state (write here)', async () => {
    const res = await fetch(`${dhis2.baseUrl}/api/trackedEntityInstances`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', attributes: [{ attribute: 'w75KJ2mc4zz', value: 'A' }] }),
    });
    expect(res.status).toBe(200);
    expect(dhis2.mock.admin.state()).toHaveLength(1);
  });

  it('starts each test from the fixture state (reset before this one)', () => {
    expect(dhis2.mock.admin.state()).toHaveLength(0);
  });
});
