import { defineCases } from '../types.js';
import { SRC, TRACKER, trackerBundle } from './common.js';

const sync: [string, string][] = [['async', 'false']];
const listUpTo240: [string, string][] = [['orgUnit', '{{orgUnit}}'], ['ouMode', 'DESCENDANTS'], ['trackedEntityType', '{{trackedEntityType}}']];
const listFrom241: [string, string][] = [['orgUnits', '{{orgUnit}}'], ['orgUnitMode', 'DESCENDANTS'], ['trackedEntityType', '{{trackedEntityType}}']];
const ORDERABLE = "Supported are attribute UIDs and fields 'createdAt, createdAtClient, enrolledAt, inactive, trackedEntity, updatedAt, updatedAtClient'. All of which can at most be specified once.";

/** The tracker API: content types, job reports, export defaults and parameter rules per release. */
export const TRACKER_CASES = defineCases([
  {
    id: 'tracker.import.text-plain',
    title: 'POST /api/tracker with text/plain: 415 (consumes application/json)',
    area: 'tracker',
    source: [SRC.trackerImport, SRC.advice],
    needs: 'read-only',
    steps: [{
      name: 'text/plain',
      request: { method: 'POST', path: '/api/tracker', query: sync, headers: { 'content-type': 'text/plain' }, body: { text: '{}' } },
      expect: [
        { releases: { to: '2.41' }, status: 415, json: { message: { equals: "Content type 'text/plain' not supported" } } },
        { releases: { from: '2.42' }, status: 415, json: { message: { equals: "Content-Type 'text/plain' is not supported" } } },
      ],
    }],
  },
  {
    id: 'tracker.import.no-content-type',
    title: 'POST /api/tracker without a content type: 415 for application/octet-stream',
    area: 'tracker',
    source: [SRC.trackerImport, SRC.advice],
    needs: 'read-only',
    steps: [{
      name: 'no content type',
      request: { method: 'POST', path: '/api/tracker', query: sync, body: { text: '{}' } },
      expect: [
        { releases: { to: '2.41' }, status: 415, json: { message: { equals: "Content type 'application/octet-stream' not supported" } } },
        { releases: { from: '2.42' }, status: 415, json: { message: { equals: "Content-Type 'application/octet-stream' is not supported" } } },
      ],
    }],
  },
  {
    id: 'tracker.import.empty',
    title: 'POST /api/tracker?async=false with {}: an OK report with nothing in it (2.35: 501)',
    area: 'tracker',
    source: [SRC.trackerImport],
    needs: 'read-only',
    steps: [{
      name: 'empty bundle',
      request: { method: 'POST', path: '/api/tracker', query: sync, json: {} },
      expect: [
        { releases: { to: '2.35' }, status: 501 },
        { releases: { from: '2.36' }, status: 200, json: { status: { equals: 'OK' }, 'stats.total': { equals: 0 } } },
      ],
    }],
  },
  {
    id: 'tracker.jobs.unknown',
    title: 'GET /api/tracker/jobs/{unknown}: an empty notification list (2.35 maps it too)',
    area: 'tracker',
    source: [SRC.trackerImport],
    needs: 'read-only',
    steps: [{ name: 'notifications', request: { method: 'GET', path: '/api/tracker/jobs/{{missingUid}}' }, expect: { status: 200, json: { $: { equals: [] } } } }],
  },
  {
    id: 'tracker.jobs.unknown-report',
    title: 'GET /api/tracker/jobs/{unknown}/report: 404 with each release\'s message',
    area: 'tracker',
    source: [SRC.trackerImport],
    needs: 'read-only',
    steps: [{
      name: 'report',
      request: { method: 'GET', path: '/api/tracker/jobs/{{missingUid}}/report' },
      expect: [
        { releases: { to: '2.37' }, status: 404, json: { message: { equals: '404 NOT_FOUND' } } },
        { releases: { from: '2.38', to: '2.39' }, status: 404, json: { message: { equals: 'Object not found for uid: {{missingUid}}' } } },
        { releases: { from: '2.40', to: '2.40' }, status: 404, json: { message: { equals: 'JobConfiguration with id {{missingUid}} could not be found.' } } },
        { releases: { from: '2.41' }, status: 404, json: { message: { equals: 'Summary for job {{missingUid}} does not exist' } } },
      ],
    }],
  },
  {
    id: 'tracker.export.order-unknown',
    title: 'an unknown order field: ignored up to 2.38, "Invalid order property" 2.39–2.40, the validator wording from 2.41',
    area: 'tracker',
    source: [SRC.trackerExport, SRC.trackerOrder],
    needs: 'read-only',
    releases: TRACKER,
    steps: [
      {
        name: 'order=nope (2.36–2.40 names)',
        releases: { to: '2.40' },
        request: { method: 'GET', path: '/api/tracker/trackedEntities', query: [...listUpTo240, ['order', 'nope']] },
        expect: [
          { releases: { to: '2.38' }, status: 200 },
          { releases: { from: '2.39' }, status: 400, json: { message: { equals: 'Invalid order property: nope' } } },
        ],
      },
      {
        name: 'order=nope (2.41+ names)',
        releases: { from: '2.41' },
        request: { method: 'GET', path: '/api/tracker/trackedEntities', query: [...listFrom241, ['order', 'nope']] },
        expect: { status: 400, json: { message: { equals: `order parameter is invalid. Cannot order by 'nope'. ${ORDERABLE}` } } },
      },
    ],
  },
  {
    id: 'tracker.export.repeated-type',
    title: 'trackedEntityType twice: one String "A,A" up to 2.40 (unknown type), the first value of the typed UID from 2.41',
    area: 'tracker',
    source: [SRC.trackerExport, SRC.springBinding],
    needs: 'read-only',
    releases: TRACKER,
    steps: [
      {
        name: 'repeated (2.36–2.40)',
        releases: { to: '2.40' },
        request: { method: 'GET', path: '/api/tracker/trackedEntities', query: [...listUpTo240, ['trackedEntityType', '{{trackedEntityType}}']] },
        expect: [
          { releases: { to: '2.39' }, status: 409, json: { message: { equals: 'Tracked entity type does not exist: {{trackedEntityType}},{{trackedEntityType}}' } } },
          { releases: { from: '2.40' }, status: 400, json: { message: { equals: 'Tracked entity type does not exist: {{trackedEntityType}},{{trackedEntityType}}' } } },
        ],
      },
      {
        name: 'repeated (2.41+)',
        releases: { from: '2.41' },
        request: { method: 'GET', path: '/api/tracker/trackedEntities', query: [...listFrom241, ['trackedEntityType', '{{trackedEntityType}}']] },
        expect: { status: 200 },
      },
    ],
  },
  {
    id: 'tracker.export.single-defaults',
    title: 'GET /api/tracker/trackedEntities/{uid}: collections [] and fields not projecting up to 2.38; collections absent and fields projecting from 2.39',
    area: 'tracker',
    source: [SRC.trackerExport],
    needs: 'writes',
    releases: TRACKER,
    steps: [
      { name: 'create', request: { method: 'POST', path: '/api/tracker', query: sync, json: trackerBundle({ uid: '{{uid}}' }) }, expect: { status: 200, json: { 'stats.created': { equals: 1 } } } },
      {
        name: 'default fields',
        request: { method: 'GET', path: '/api/tracker/trackedEntities/{{uid}}' },
        expect: [
          { releases: { to: '2.38' }, status: 200, json: { trackedEntity: { equals: '{{uid}}' }, enrollments: { equals: [] }, programOwners: { equals: [] }, attributes: { minLength: 2 } } },
          { releases: { from: '2.39' }, status: 200, json: { trackedEntity: { equals: '{{uid}}' }, enrollments: { absent: true }, relationships: { absent: true }, programOwners: { absent: true }, attributes: { minLength: 2 } } },
        ],
      },
      {
        name: 'fields=trackedEntity&fields=orgUnit',
        request: { method: 'GET', path: '/api/tracker/trackedEntities/{{uid}}', query: [['fields', 'trackedEntity'], ['fields', 'orgUnit']] },
        expect: [
          { releases: { to: '2.38' }, status: 200, json: { trackedEntity: { equals: '{{uid}}' }, attributes: { present: true } } },
          { releases: { from: '2.39' }, status: 200, json: { $: { keys: ['trackedEntity', 'orgUnit'] } } },
        ],
      },
    ],
  },
]);
