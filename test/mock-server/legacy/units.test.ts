import { describe, expect, it } from 'vitest';
import { canCapture, canSearch, hasAuthority, searchRoots } from '../../../mock-server/dhis2/access.js';
import { routeLegacyTei } from '../../../mock-server/dhis2/legacy/import.js';
import { legacyCriteria } from '../../../mock-server/dhis2/legacy/search-criteria.js';
import { parseLegacyStrategy } from '../../../mock-server/dhis2/legacy/options.js';
import { searchEntities } from '../../../mock-server/dhis2/search.js';
import type { StoredEntity } from '../../../mock-server/dhis2/types.js';
import { createMockDhis2 } from '../../../mock-server/index.js';
import { AT, OU, TET } from './support.js';

async function ctx(version = '2.40') {
  const mock = await createMockDhis2({ dhis2Version: version, seed: 1, uniqueness: 'atomic', log: () => {} });
  return mock.runtime.ctx;
}

function entity(uid: string, orgUnit: string, extra: Partial<StoredEntity> = {}): StoredEntity {
  const at = '2024-01-01T00:00:00.000';
  return {
    uid, trackedEntityType: TET, orgUnit, created: at, lastUpdated: at, inactive: false, deleted: false, potentialDuplicate: false,
    attributes: [], enrollments: [], programOwners: [], ...extra,
  };
}

describe('unit: legacy import routing (§2.4 "How each TEI is routed")', () => {
  const cases: [string, string | undefined, 'live' | 'deleted' | 'none', boolean, string][] = [
    ['CREATE_AND_UPDATE', 'Live0000001', 'live', false, 'update'],
    ['CREATE_AND_UPDATE', 'Dead0000001', 'deleted', false, 'update'],
    ['CREATE_AND_UPDATE', 'None0000001', 'none', false, 'create'],
    ['CREATE_AND_UPDATE', undefined, 'none', false, 'create'],
    ['CREATE', 'Live0000001', 'live', false, 'create'],
    ['UPDATE', undefined, 'none', false, 'update'],
    ['DELETE', 'Live0000001', 'live', false, 'delete'],
    ['SYNC', 'Live0000001', 'live', false, 'update'],
    ['SYNC', 'Dead0000001', 'deleted', false, 'create'],
    ['SYNC', 'Live0000001', 'live', true, 'delete'],
  ];
  it.each(cases)('§2.4 %s, uid %s (%s, deleted flag %s) → %s', async (strategy, uid, _state, deletedFlag, expected) => {
    const c = await ctx();
    c.store.load([entity('Live0000001', OU.ngelehun), entity('Dead0000001', OU.ngelehun, { deleted: true })]);
    expect(routeLegacyTei(c, { uid, attributes: [], enrollments: [], deleted: deletedFlag }, strategy as 'CREATE')).toBe(expected);
  });

  it.each([
    ['CREATE', 'CREATE'], ['NEW', 'CREATE'], ['UPDATES', 'UPDATE'], ['NEW_AND_UPDATES', 'CREATE_AND_UPDATE'], ['DELETES', 'DELETE'],
    ['', 'CREATE_AND_UPDATE'], [undefined, 'CREATE_AND_UPDATE'],
  ])('§2.4 strategy %s parses as %s', (raw, expected) => {
    expect(parseLegacyStrategy(raw)).toBe(expected);
  });

  it.each(['create', 'UPSERT', 'CREATE,UPDATE'])('§2.4 strategy %s is invalid (Spring enum binding is case-sensitive)', (raw) => {
    expect(parseLegacyStrategy(raw)).toEqual({ invalid: raw });
  });
});

describe('unit: capture and search scopes (§2.2, §5)', () => {
  it('bo_clerk captures and searches in Bo and below only; admin everywhere', async () => {
    const c = await ctx();
    const clerk = c.meta.users.get('bo_clerk')!;
    const admin = c.meta.users.get('admin')!;
    expect(searchRoots(clerk)).toEqual([OU.bo]);
    for (const ou of [OU.bo, OU.badjia, OU.ngelehun, OU.bargbeChc]) {
      expect(canCapture(c.meta, clerk, ou)).toBe(true);
      expect(canSearch(c.meta, clerk, ou)).toBe(true);
    }
    for (const ou of [OU.sierraLeone, OU.bombali, OU.kamaranka]) expect(canCapture(c.meta, clerk, ou)).toBe(false);
    expect(canCapture(c.meta, admin, OU.kamaranka)).toBe(true);
    expect(canCapture(c.meta, clerk, 'Unknown0001')).toBe(false);
  });

  it('search scope falls back to the capture scope when no search org units are set', async () => {
    const c = await ctx();
    const clerk = { ...c.meta.users.get('bo_clerk')!, teiSearchOrganisationUnits: [], organisationUnits: [OU.bombali] };
    expect(searchRoots(clerk)).toEqual([OU.bombali]);
    expect(canSearch(c.meta, clerk, OU.kamaranka)).toBe(true);
    expect(canSearch(c.meta, clerk, OU.ngelehun)).toBe(false);
  });

  it('ALL satisfies any authority; others need it listed', async () => {
    const c = await ctx();
    expect(hasAuthority(c.meta.users.get('admin')!, 'F_TEI_CASCADE_DELETE')).toBe(true);
    expect(hasAuthority(c.meta.users.get('bo_clerk')!, 'F_TEI_CASCADE_DELETE')).toBe(false);
    expect(hasAuthority(c.meta.users.get('bo_clerk')!, 'F_TRACKED_ENTITY_INSTANCE_SEARCH')).toBe(true);
  });

  it.each([
    ['SELECTED', [OU.badjia], ['b']],
    ['CHILDREN', [OU.badjia], ['b', 'c']],
    ['DESCENDANTS', [OU.bo], ['b', 'c']],
    ['ACCESSIBLE', [], ['b', 'c']],
    ['CAPTURE', [], ['b', 'c']],
  ] as const)('searchEntities ouMode %s over %j for bo_clerk', async (ouMode, orgUnits, expected) => {
    const c = await ctx();
    c.store.load([entity('Aaaaaaaaaa1', OU.kamaranka), entity('Bbbbbbbbbb1', OU.badjia), entity('Cccccccccc1', OU.ngelehun)]);
    const found = searchEntities(c, c.meta.users.get('bo_clerk')!, { orgUnits: [...orgUnits], ouMode, filters: [], includeDeleted: false, trackedEntityType: TET });
    expect(found.map((e) => e.uid[0].toLowerCase()).sort()).toEqual(expected);
  });
});

describe('unit: legacy criteria (filter parser wiring, §2.2)', () => {
  const admin = async (version: string) => { const c = await ctx(version); return { c, u: c.meta.users.get('admin')! }; };

  it('filter + attribute become conditions; operators are upper-cased; IN splits on ;', async () => {
    const { c, u } = await admin('2.40');
    const crit = legacyCriteria(c, u, { ou: OU.bo, trackedEntityType: TET, filter: [`${AT.nationalId}:in:a;B`], attribute: `${AT.weight}:gt:3:lt:9` });
    expect(crit.filters).toEqual([
      { attribute: AT.nationalId, conditions: [{ op: 'IN', values: ['a', 'B'] }] },
      { attribute: AT.weight, conditions: [{ op: 'GT', values: ['3'] }, { op: 'LT', values: ['9'] }] },
    ]);
  });

  it('ou accepts ;-separated lists and ouMode is case-insensitive', async () => {
    const { c, u } = await admin('2.40');
    const crit = legacyCriteria(c, u, { ou: `${OU.bo};${OU.bombali}`, ouMode: 'descendants', trackedEntityType: TET });
    expect(crit).toMatchObject({ orgUnits: [OU.bo, OU.bombali], ouMode: 'DESCENDANTS' });
  });

  it('SW/EW exist from 2.39 on the legacy filter', async () => {
    const old = await admin('2.38');
    expect(() => legacyCriteria(old.c, old.u, { ou: OU.bo, trackedEntityType: TET, filter: `${AT.lastName}:SW:a` })).toThrow(/Query item or filter is invalid/);
    const cur = await admin('2.39');
    expect(legacyCriteria(cur.c, cur.u, { ou: OU.bo, trackedEntityType: TET, filter: `${AT.lastName}:SW:a` }).filters[0].conditions[0].op).toBe('SW');
  });

  it('lastUpdatedDuration turns into an updatedAfter bound', async () => {
    const { c, u } = await admin('2.40');
    c.clock = () => Date.parse('2024-03-10T12:00:00.000Z');
    expect(legacyCriteria(c, u, { ou: OU.bo, trackedEntityType: TET, lastUpdatedDuration: '2d' }).updatedAfter).toBe('2024-03-08T12:00:00.000');
  });
});
