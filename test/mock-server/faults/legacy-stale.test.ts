import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

const UID = 'StaleRead01';
const create = { trackedEntityInstance: UID, trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: DEMO_IDS.orgUnits.ngelehun, attributes: [{ attribute: DEMO_IDS.attributes.nationalId, value: 'STALE-1' }, { attribute: DEMO_IDS.attributes.firstName, value: 'S' }] };

/** stale-search fault (issue 4): a lagging replica answers legacy reads from the state one commit ago. */
describe('stale-search on the legacy API', () => {
  it.each([
    ['list by unique attribute', `/api/trackedEntityInstances?ouMode=ACCESSIBLE&trackedEntityType=${DEMO_IDS.trackedEntityType}&filter=${DEMO_IDS.attributes.nationalId}:EQ:STALE-1`],
    ['get by UID', `/api/trackedEntityInstances/${UID}`],
  ])('%s misses the entity just committed, then sees it once the fault stops', async (_name, path) => {
    const e = await emulator({ faults: { rules: [{ kind: 'stale-search', method: 'GET', path: '/api/trackedEntityInstances/**', commitsAgo: 1, times: 1 }, { kind: 'stale-search', method: 'GET', path: '/api/trackedEntityInstances', commitsAgo: 1, times: 1 }] } });
    await e.post('/api/trackedEntityInstances', create).expect(200);
    const stale = await e.get(path);
    const fresh = await e.get(path);
    if (path.includes('?')) {
      expect(stale.body.trackedEntityInstances).toEqual([]);
      expect(fresh.body.trackedEntityInstances.map((t: { trackedEntityInstance: string }) => t.trackedEntityInstance)).toEqual([UID]);
    } else {
      expect(stale.status).toBe(404);
      expect(fresh.status).toBe(200);
    }
  });
});
