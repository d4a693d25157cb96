import { defineCases } from '../types.js';
import { SRC } from './common.js';

/** Which `/api/NN/` prefixes each release serves (issue: "a 2.36 emulator accepts /api/40/…"). */
export const VERSION_CASES = defineCases([
  {
    id: 'versions.unversioned',
    title: 'GET /api/system/info answers without a version prefix and names the release',
    area: 'versions',
    source: [SRC.system],
    needs: 'read-only',
    steps: [{ name: 'system info', request: { method: 'GET', path: '/api/system/info' }, expect: { status: 200, json: { version: { matches: '^2\\.\\d{2}' } } } }],
  },
  {
    id: 'versions.own-prefix',
    title: "the release's own number is a mapped prefix (/api/{release}/…)",
    area: 'versions',
    source: [SRC.dhisApiVersion, SRC.mapping],
    needs: 'read-only',
    steps: [{ name: 'versioned system info', request: { method: 'GET', path: '/api/{{apiVersion}}/system/info' }, expect: { status: 200, json: { version: { matches: '^2\\.{{apiVersion}}' } } } }],
  },
  {
    id: 'versions.prefix-28',
    title: '/api/28/ is the oldest mapped prefix on every release',
    area: 'versions',
    source: [SRC.dhisApiVersion, SRC.mapping],
    needs: 'read-only',
    steps: [{ name: '/api/28/me', request: { method: 'GET', path: '/api/28/me' }, expect: { status: 200, json: { id: { type: 'string' } } } }],
  },
  {
    id: 'versions.prefix-27',
    title: '/api/27/ is not mapped: 404',
    area: 'versions',
    source: [SRC.dhisApiVersion, SRC.mapping],
    needs: 'read-only',
    steps: [{ name: '/api/27/me', request: { method: 'GET', path: '/api/27/me' }, expect: { status: 404 } }],
  },
  {
    id: 'versions.next-prefix',
    title: "the next release's number is not mapped yet: 404 (a job configured for a newer API fails here)",
    area: 'versions',
    source: [SRC.dhisApiVersion, SRC.mapping],
    needs: 'read-only',
    releases: { to: '2.42' },
    steps: [{ name: '/api/{next}/me', request: { method: 'GET', path: '/api/{{nextApiVersion}}/me' }, expect: { status: 404 } }],
  },
  {
    id: 'versions.prefix-99',
    title: '/api/99/ is never mapped: 404',
    area: 'versions',
    source: [SRC.dhisApiVersion, SRC.mapping],
    needs: 'read-only',
    steps: [{ name: '/api/99/me', request: { method: 'GET', path: '/api/99/me' }, expect: { status: 404 } }],
  },
  {
    id: 'versions.prefix-40',
    title: '/api/40/ exists from 2.40 only',
    area: 'versions',
    source: [SRC.dhisApiVersion, SRC.mapping],
    needs: 'read-only',
    steps: [{
      name: '/api/40/me',
      request: { method: 'GET', path: '/api/40/me' },
      expect: [{ releases: { to: '2.39' }, status: 404 }, { releases: { from: '2.40' }, status: 200 }],
    }],
  },
]);
