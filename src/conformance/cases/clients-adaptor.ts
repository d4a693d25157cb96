import { defineCases, type ConformanceCase } from '../types.js';
import { SRC, tei, trackerBundle, UID_RE } from './common.js';

/**
 * @openfn/language-dhis2 8.2.1 (real-clients.md): every request has content-type application/json,
 * GETs carry a `{}` body; `apiVersion: '41'` style configuration gives `/api/NN/` paths. The
 * releases where it runs are every release whose prefix it is configured with: the cases use the
 * server's own number, as a user configuring the adaptor for that server would.
 */
function legacyUpsert(id: string, prefix: string, what: string): ConformanceCase {
  const path = `${prefix}/trackedEntityInstances`;
  const search = { method: 'GET' as const, path, json: {}, query: [['ou', '{{orgUnit}}'], ['trackedEntityType', '{{trackedEntityType}}'], ['filter', '{{uniqueAttribute}}:EQ:{{key}}']] as [string, string][] };
  return {
    id,
    title: `adaptor 8.2.1 upsert('trackedEntityInstances', …) ${what}: search, POST, search, PUT verbatim; 404 on 2.42`,
    area: 'real-client',
    source: [SRC.realClients, SRC.legacyController],
    needs: 'writes',
    steps: [
      {
        name: 'search: no match',
        request: search,
        expect: [{ releases: { to: '2.41' }, status: 200, json: { trackedEntityInstances: { length: 0 } } }, { releases: { from: '2.42' }, status: 404 }],
      },
      {
        name: 'create (POST as given, no UID)',
        releases: { to: '2.41' },
        request: { method: 'POST', path, json: tei() },
        expect: { status: 200, json: { status: { equals: 'OK' }, 'response.importSummaries.0.status': { equals: 'SUCCESS' }, 'response.importSummaries.0.reference': { matches: UID_RE } } },
        capture: { created: 'response.importSummaries.0.reference' },
      },
      {
        name: 'search: one match',
        releases: { to: '2.41' },
        request: search,
        expect: { status: 200, json: { trackedEntityInstances: { length: 1 }, 'trackedEntityInstances.0.trackedEntityInstance': { equals: '{{created}}' } } },
      },
      {
        name: 'update (PUT the given TEI verbatim)',
        releases: { to: '2.41' },
        request: { method: 'PUT', path: `${path}/{{created}}`, json: tei({ name: '{{name2}}' }) },
        expect: { status: 200, json: { 'response.status': { equals: 'SUCCESS' }, 'response.reference': { equals: '{{created}}' }, 'response.importCount.updated': { equals: 1 } } },
      },
      {
        name: 'read back',
        releases: { to: '2.41' },
        request: { method: 'GET', path: `${path}/{{created}}`, json: {}, query: [['fields', 'attributes[attribute,value]']] },
        expect: { status: 200, json: { 'attributes[attribute={{nameAttribute}}].value': { equals: '{{name2}}' }, 'attributes[attribute={{uniqueAttribute}}].value': { equals: '{{key}}' } } },
      },
    ],
  };
}

const trackerPost = (query: [string, string][], bundle: Record<string, unknown>) => ({ method: 'POST' as const, path: '/api/{{apiVersion}}/tracker', query, json: bundle });
const upsertQuery: [string, string][] = [['async', 'false'], ['importStrategy', 'CREATE_AND_UPDATE']];

export const ADAPTOR_CASES = defineCases([
  legacyUpsert('client.adaptor-8.2.1.legacy-upsert.versioned', '/api/{{apiVersion}}', 'with apiVersion'),
  legacyUpsert('client.adaptor-8.2.1.legacy-upsert.unversioned', '/api', 'without apiVersion'),
  {
    id: 'client.adaptor-8.2.1.legacy-upsert.two-matches',
    title: 'adaptor 8.2.1: a search matching two TEIs answers both (the adaptor then throws "Multiple records found")',
    area: 'real-client',
    source: [SRC.realClients],
    needs: 'writes',
    releases: { to: '2.41' },
    steps: [
      { name: 'first', request: { method: 'POST', path: '/api/{{apiVersion}}/trackedEntityInstances', json: tei() }, expect: { status: 200 } },
      { name: 'second, same name', request: { method: 'POST', path: '/api/{{apiVersion}}/trackedEntityInstances', json: tei({ key: '{{key2}}' }) }, expect: { status: 200 } },
      {
        name: 'search by the name',
        request: { method: 'GET', path: '/api/{{apiVersion}}/trackedEntityInstances', json: {}, query: [['ou', '{{orgUnit}}'], ['trackedEntityType', '{{trackedEntityType}}'], ['filter', '{{nameAttribute}}:EQ:{{name}}']] },
        expect: { status: 200, json: { trackedEntityInstances: { length: 2 } } },
      },
    ],
  },
  {
    id: 'client.adaptor-8.2.1.tracker-upsert.no-uid',
    title: "adaptor 8.2.1 upsert('trackedEntities', …) without a UID: created, then E1064 on the repeat",
    area: 'real-client',
    source: [SRC.realClients, SRC.trackerImport],
    needs: 'writes',
    releases: { from: '2.36' },
    steps: [
      {
        name: 'first call',
        request: trackerPost(upsertQuery, trackerBundle()),
        expect: { status: 200, json: { status: { equals: 'OK' }, 'stats.created': { equals: 1 }, 'bundleReport.typeReportMap.TRACKED_ENTITY.objectReports.0.uid': { matches: UID_RE } } },
      },
      { name: 'repeat', request: trackerPost(upsertQuery, trackerBundle()), expect: { status: 409, json: { status: { equals: 'ERROR' }, 'validationReport.errorReports.0.errorCode': { equals: 'E1064' } } } },
    ],
  },
  {
    id: 'client.adaptor-8.2.1.tracker-upsert.client-uid',
    title: 'adaptor 8.2.1 tracker upsert with a client UID is idempotent: created, then updated',
    area: 'real-client',
    source: [SRC.realClients, SRC.trackerImport],
    needs: 'writes',
    releases: { from: '2.36' },
    steps: [
      {
        name: 'first call',
        request: trackerPost(upsertQuery, trackerBundle({ uid: '{{uid}}' })),
        expect: { status: 200, json: { 'stats.created': { equals: 1 }, 'bundleReport.typeReportMap.TRACKED_ENTITY.objectReports.0.uid': { equals: '{{uid}}' } } },
      },
      {
        name: 'repeat',
        request: trackerPost(upsertQuery, trackerBundle({ uid: '{{uid}}', name: '{{name2}}' })),
        expect: { status: 200, json: { 'stats.created': { equals: 0 }, 'stats.updated': { equals: 1 }, 'bundleReport.typeReportMap.TRACKED_ENTITY.objectReports.0.uid': { equals: '{{uid}}' } } },
      },
    ],
  },
  {
    id: 'client.adaptor-8.2.1.tracker-import-create',
    title: "adaptor 8.2.1 tracker.import('CREATE', …) sends async=false without importStrategy: created; 2.35 answers 501",
    area: 'real-client',
    source: [SRC.realClients, SRC.trackerImport],
    needs: 'writes',
    steps: [{
      name: 'import',
      request: trackerPost([['async', 'false']], trackerBundle({ uid: '{{uid}}' })),
      expect: [{ releases: { to: '2.35' }, status: 501 }, { releases: { from: '2.36' }, status: 200, json: { 'stats.created': { equals: 1 } } }],
    }],
  },
]);
