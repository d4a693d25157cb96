import { defineCases } from '../types.js';
import { attributes, SRC, TEI, tei, trackerBundle } from './common.js';

const sync: [string, string][] = [['async', 'false']];
const created = { status: 200, json: { 'stats.created': { equals: 1 } } };
const E1064 = { status: 409, json: { status: { equals: 'ERROR' }, 'validationReport.errorReports.0.errorCode': { equals: 'E1064' } } };

/** What a delete frees: a unique value held by a soft-deleted entity, per API and release. */
export const DELETE_CASES = defineCases([
  {
    id: 'delete.tracker-keeps-unique-value',
    title: 'tracker: a deleted entity still holds its unique value (E1064 for the next create) and its UID (E1114)',
    area: 'delete',
    source: [SRC.uniqueTracker, SRC.trackerImport],
    needs: 'writes',
    releases: { from: '2.36' },
    steps: [
      { name: 'create', request: { method: 'POST', path: '/api/tracker', query: sync, json: trackerBundle({ uid: '{{uid}}' }) }, expect: created },
      {
        name: 'delete',
        // 2.36 runs every validation hook on DELETE, so the payload carries the whole entity
        request: { method: 'POST', path: '/api/tracker', query: [...sync, ['importStrategy', 'DELETE']], json: trackerBundle({ uid: '{{uid}}' }) },
        expect: { status: 200, json: { 'stats.deleted': { equals: 1 } } },
      },
      { name: 'same key, new entity', request: { method: 'POST', path: '/api/tracker', query: sync, json: trackerBundle({ uid: '{{uid2}}' }) }, expect: E1064 },
      {
        name: 'same UID again',
        request: { method: 'POST', path: '/api/tracker', query: sync, json: trackerBundle({ uid: '{{uid}}', key: '{{key2}}' }) },
        expect: { status: 409, json: { 'validationReport.errorReports.0.errorCode': { equals: 'E1114' } } },
      },
    ],
  },
  {
    id: 'delete.legacy-frees-unique-value',
    title: 'legacy: deleting frees the unique value (the check ignores soft-deleted TEIs)',
    area: 'delete',
    source: [SRC.uniqueLegacy, SRC.legacyController],
    needs: 'writes',
    releases: { to: '2.41' },
    steps: [
      { name: 'create', request: { method: 'POST', path: TEI, json: tei() }, expect: { status: 200 }, capture: { first: 'response.importSummaries.0.reference' } },
      { name: 'delete', request: { method: 'DELETE', path: `${TEI}/{{first}}` }, expect: { status: 200, json: { 'response.importCount.deleted': { equals: 1 } } } },
      {
        name: 'same key, new TEI',
        request: { method: 'POST', path: TEI, json: tei() },
        expect: { status: 200, json: { 'response.importSummaries.0.status': { equals: 'SUCCESS' }, 'response.imported': { equals: 1 } } },
      },
    ],
  },
  {
    id: 'delete.legacy-then-tracker',
    title: 'a value freed by a legacy delete still blocks a tracker create (the tracker check counts deleted holders)',
    area: 'delete',
    source: [SRC.uniqueLegacy, SRC.uniqueTracker],
    needs: 'writes',
    releases: { from: '2.36', to: '2.41' },
    steps: [
      { name: 'legacy create', request: { method: 'POST', path: TEI, json: tei() }, expect: { status: 200 }, capture: { first: 'response.importSummaries.0.reference' } },
      { name: 'legacy delete', request: { method: 'DELETE', path: `${TEI}/{{first}}` }, expect: { status: 200 } },
      {
        name: 'tracker create, same key',
        request: { method: 'POST', path: '/api/tracker', query: sync, json: { trackedEntities: [{ trackedEntityType: '{{trackedEntityType}}', orgUnit: '{{orgUnit}}', attributes: attributes() }] } },
        expect: E1064,
      },
    ],
  },
]);
