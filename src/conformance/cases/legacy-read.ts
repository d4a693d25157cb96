import { defineCases } from '../types.js';
import { LEGACY, SRC, TEI } from './common.js';

const byType: [string, string][] = [['ou', '{{orgUnit}}'], ['ouMode', 'DESCENDANTS'], ['trackedEntityType', '{{trackedEntityType}}']];

/** The legacy read endpoints next to the list: /count, the /query grid, and the list's parameter rules. */
export const LEGACY_READ_CASES = defineCases([
  {
    id: 'legacy.count.number',
    title: '/api/trackedEntityInstances/count answers a bare JSON number',
    area: 'legacy-read',
    source: [SRC.legacyController, SRC.teiService],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{ name: 'count', request: { method: 'GET', path: `${TEI}/count`, query: byType }, expect: { status: 200, json: { $: { type: 'number' } } } }],
  },
  {
    id: 'legacy.count.rules',
    title: '/count applies the list rules: without program or type, 2.37+ answers 409',
    area: 'legacy-read',
    source: [SRC.legacyController, SRC.teiService],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'count by org unit only',
      request: { method: 'GET', path: `${TEI}/count`, query: [['ou', '{{orgUnit}}']] },
      expect: [
        { releases: { to: '2.36' }, status: 200, json: { $: { type: 'number' } } },
        { releases: { from: '2.37' }, status: 409, json: { message: { equals: 'Either Program or Tracked entity type should be specified' } } },
      ],
    }],
  },
  {
    id: 'legacy.query.grid',
    title: '/api/trackedEntityInstances/query answers a grid: fixed columns, then the type attributes; pager metadata',
    area: 'legacy-read',
    source: [SRC.legacyController, SRC.teiService],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'grid',
      request: { method: 'GET', path: `${TEI}/query`, query: [...byType, ['pageSize', '1']] },
      expect: [
        {
          releases: { to: '2.36' },
          status: 200,
          json: {
            'headers.0': { equals: { name: 'instance', column: 'Instance', valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: false } },
            'headers.1.name': { equals: 'created' }, 'headers.2.name': { equals: 'lastupdated' }, 'headers.3.name': { equals: 'ou' },
            'headers.4.name': { equals: 'ouname' }, 'headers.5.name': { equals: 'te' }, 'headers.6.name': { equals: 'inactive' },
            'headers[name={{uniqueAttribute}}].valueType': { equals: 'TEXT' },
            'metaData.pager.pageSize': { equals: 1 }, rows: { type: 'array' }, width: { type: 'number' },
          },
        },
        {
          releases: { from: '2.37' },
          status: 200,
          json: {
            'headers.0.name': { equals: 'instance' }, 'headers.6.name': { equals: 'inactive' }, 'headers.7.name': { equals: 'potentialduplicate' },
            'headers[name={{uniqueAttribute}}].valueType': { equals: 'TEXT' },
            'metaData.pager.pageSize': { equals: 1 }, rows: { type: 'array' }, height: { type: 'number' },
          },
        },
      ],
    }],
  },
  {
    id: 'legacy.list.repeated-ou',
    title: 'ou=A&ou=A binds the String "A,A": 409 "Organisation unit does not exist: A,A"',
    area: 'legacy-read',
    source: [SRC.legacyCriteria, SRC.springBinding],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'repeated ou',
      request: { method: 'GET', path: TEI, query: [['ou', '{{orgUnit}}'], ['ou', '{{orgUnit}}'], ['trackedEntityType', '{{trackedEntityType}}']] },
      expect: { status: 409, json: { message: { equals: 'Organisation unit does not exist: {{orgUnit}},{{orgUnit}}' } } },
    }],
  },
  {
    id: 'legacy.list.repeated-identical-filter',
    title: 'the same filter twice is one filter (Set<String>), not "Filters cannot be specified more than once"',
    area: 'legacy-read',
    source: [SRC.legacyCriteria],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'filter twice',
      request: { method: 'GET', path: TEI, query: [...byType, ['filter', '{{uniqueAttribute}}:EQ:{{key}}'], ['filter', '{{uniqueAttribute}}:EQ:{{key}}']] },
      expect: { status: 200, json: { trackedEntityInstances: { length: 0 } } },
    }],
  },
  {
    id: 'legacy.list.order-unknown',
    title: 'an unknown order property is ignored before 2.39 and a 409 from 2.39',
    area: 'legacy-read',
    source: [SRC.legacyController, 'spec dhis2-api.md §2.2 order (2.39)'],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'order=nope',
      request: { method: 'GET', path: TEI, query: [...byType, ['order', 'nope:desc']] },
      expect: [
        { releases: { to: '2.38' }, status: 200, json: { trackedEntityInstances: { type: 'array' } } },
        { releases: { from: '2.39' }, status: 409, json: { message: { equals: 'Invalid order property: nope' } } },
      ],
    }],
  },
  {
    id: 'legacy.list.get-with-json-body',
    title: 'a GET with a {} JSON body (OpenFn adaptor 8.2.1) is answered like any GET',
    area: 'legacy-read',
    source: [SRC.realClients, SRC.legacyController],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{ name: 'GET with {}', request: { method: 'GET', path: TEI, query: byType, json: {} }, expect: { status: 200, json: { trackedEntityInstances: { type: 'array' } } } }],
  },
  {
    id: 'legacy.single.unknown',
    title: 'GET of an unknown UID: 404 with the release wording',
    area: 'legacy-read',
    source: [SRC.legacyController, 'spec dhis2-api.md §2.3'],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'unknown uid',
      request: { method: 'GET', path: `${TEI}/{{missingUid}}` },
      expect: [
        { releases: { to: '2.39' }, status: 404, json: { message: { equals: 'TrackedEntityInstance not found for uid: {{missingUid}}' } } },
        { releases: { from: '2.40' }, status: 404, json: { message: { equals: 'TrackedEntityInstance with id {{missingUid}} could not be found.' }, errorCode: { equals: 'E1005' } } },
      ],
    }],
  },
  {
    id: 'legacy.removed',
    title: '2.42 removed /api/trackedEntityInstances: 404',
    area: 'legacy-read',
    source: ['dhis2-core commit "chore: remove /trackedEntityInstances DHIS2-16564" (2.42)'],
    needs: 'read-only',
    releases: { from: '2.42' },
    steps: [{ name: 'list', request: { method: 'GET', path: TEI, query: byType }, expect: { status: 404 } }],
  },
]);
