import { defineCases, type RequestSpec, type Step } from '../types.js';
import { attributes, SRC, TEI, tei, UID_RE } from './common.js';

/** language-dhis2 2.0.11 `upsertTEI`: unversioned paths, four GETs before it writes (real-clients.md). */
const READS: Step[] = [
  {
    name: 'tracked entity type ?fields=*',
    request: { method: 'GET', path: '/api/trackedEntityTypes/{{trackedEntityType}}', query: [['fields', '*']] as [string, string][] },
    expect: { status: 200, json: { name: { type: 'string' }, 'trackedEntityTypeAttributes[trackedEntityAttribute.id={{uniqueAttribute}}]': { present: true } } },
  },
  {
    name: 'unique attribute',
    request: { method: 'GET', path: '/api/trackedEntityAttributes/{{uniqueAttribute}}' },
    expect: { status: 200, json: { unique: { equals: true }, name: { type: 'string' } } },
  },
  {
    name: 'resource index (plural:eq:trackedEntityInstances → singular)',
    request: { method: 'GET', path: '/api/resources' },
    expect: { status: 200, headers: { 'content-type': { startsWith: 'application/json' } }, json: { 'resources[plural=trackedEntityInstances].singular': { equals: 'trackedEntityInstance' } } },
  },
];

const search: RequestSpec = { method: 'GET', path: TEI, query: [['ou', '{{orgUnit}}'], ['filter', '{{uniqueAttribute}}:EQ:{{key}}']] };

export const LANGUAGE_DHIS2_CASES = defineCases([
  {
    id: 'client.language-dhis2-2.0.11.upsert-create',
    title: 'language-dhis2 2.0.11 upsertTEI, no match: the reads succeed everywhere; its search (no type) works on 2.35–2.36 only, then the POST',
    area: 'real-client',
    source: [SRC.realClients, SRC.languageDhis2, SRC.index, SRC.teiService],
    needs: 'writes',
    steps: [
      ...READS,
      {
        name: 'search without ouMode, type or program',
        request: search,
        expect: [
          { releases: { to: '2.36' }, status: 200, json: { trackedEntityInstances: { length: 0 } } },
          { releases: { from: '2.37', to: '2.41' }, status: 409, json: { message: { equals: 'Either Program or Tracked entity type should be specified' } } },
          { releases: { from: '2.42' }, status: 404 },
        ],
      },
      {
        name: 'create',
        releases: { to: '2.36' },
        request: { method: 'POST', path: TEI, json: tei() },
        expect: { status: 200, json: { 'response.importSummaries.0.href': { matches: '/api/trackedEntityInstances/[A-Za-z][A-Za-z0-9]{10}$' }, 'response.importSummaries.0.reference': { matches: UID_RE } } },
      },
    ],
  },
  {
    id: 'client.language-dhis2-2.0.11.upsert-update',
    title: 'language-dhis2 2.0.11 upsertTEI, one match: PUT {...existing, ...given, attributes: existing ++ given} with ?ou&filter; the last value of each attribute wins',
    area: 'real-client',
    source: [SRC.realClients, SRC.languageDhis2, SRC.legacyController],
    needs: 'writes',
    releases: { to: '2.36' },
    steps: [
      { name: 'an earlier run created it', request: { method: 'POST', path: TEI, json: tei() }, expect: { status: 200 }, capture: { created: 'response.importSummaries.0.reference' } },
      ...READS,
      {
        name: 'search: one match',
        request: search,
        expect: { status: 200, json: { trackedEntityInstances: { length: 1 }, 'trackedEntityInstances.0.trackedEntityInstance': { equals: '{{created}}' } } },
        capture: { row: 'trackedEntityInstances.0' },
      },
      {
        name: 'PUT the concatenation',
        request: {
          method: 'PUT',
          path: `${TEI}/{{created}}`,
          query: [['ou', '{{orgUnit}}'], ['filter', '{{uniqueAttribute}}:EQ:{{key}}']],
          json: { $spread: '{{row}}', trackedEntityType: '{{trackedEntityType}}', orgUnit: '{{orgUnit}}', attributes: { $concat: ['{{row.attributes}}', attributes('{{key}}', '{{name2}}')] } },
        },
        expect: { status: 200, json: { 'response.status': { equals: 'SUCCESS' }, 'response.reference': { equals: '{{created}}' } } },
      },
      {
        name: 'read back',
        request: { method: 'GET', path: `${TEI}/{{created}}`, query: [['fields', 'attributes[attribute,value]']] },
        expect: { status: 200, json: { 'attributes[attribute={{nameAttribute}}].value': { equals: '{{name2}}' } } },
      },
    ],
  },
]);
