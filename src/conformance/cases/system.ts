import { defineCases } from '../types.js';
import { SRC, UID_RE } from './common.js';

const ids = (query: [string, string][], headers?: Record<string, string>) => ({ method: 'GET' as const, path: '/api/system/id', query, headers });

/** UID generation, ping, and the field filter on /api/me and /api/system/info. */
export const SYSTEM_CASES = defineCases([
  {
    id: 'system.ping',
    title: '/api/system/ping answers "pong", not cached',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    steps: [{ name: 'ping', request: { method: 'GET', path: '/api/system/ping' }, expect: { status: 200, text: { equals: 'pong' }, headers: { 'cache-control': { contains: 'no-store' } } } }],
  },
  {
    id: 'system.id.default',
    title: '/api/system/id: one UID by default, not cached',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    steps: [{ name: 'one id', request: ids([]), expect: { status: 200, headers: { 'cache-control': { contains: 'no-store' } }, json: { codes: { length: 1 }, 'codes.0': { matches: UID_RE } } } }],
  },
  {
    id: 'system.id.limit-zero-or-negative',
    title: 'limit=0 and limit=-3 give no codes (the generator loops while i < limit)',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    steps: [
      { name: 'limit=0', request: ids([['limit', '0']]), expect: { status: 200, json: { codes: { length: 0 } } } },
      { name: 'limit=-3', request: ids([['limit', '-3']]), expect: { status: 200, json: { codes: { length: 0 } } } },
    ],
  },
  {
    id: 'system.id.limit-not-a-number',
    title: 'limit=abc is a 400 type mismatch (Integer parameter)',
    area: 'system',
    source: [SRC.system, SRC.advice],
    needs: 'read-only',
    steps: [{ name: 'limit=abc', request: ids([['limit', 'abc']]), expect: { status: 400, json: { status: { equals: 'ERROR' }, message: { contains: 'java.lang.Integer' } } } }],
  },
  {
    id: 'system.id.limit-cap',
    title: 'limit above 10000 is capped at 10000',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    steps: [{ name: 'limit=20000', request: ids([['limit', '20000']]), expect: { status: 200, json: { codes: { length: 10000 } } } }],
  },
  {
    id: 'system.id.repeated-limit',
    title: 'a repeated limit binds its first value (Integer from String[])',
    area: 'system',
    source: [SRC.system, SRC.springBinding],
    needs: 'read-only',
    steps: [{ name: 'limit=2&limit=5', request: ids([['limit', '2'], ['limit', '5']]), expect: { status: 200, json: { codes: { length: 2 } } } }],
  },
  {
    id: 'system.id.csv',
    title: 'Accept: application/csv gives a uid header line and one UID per line',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    steps: [{
      name: 'csv',
      request: ids([['limit', '2']], { accept: 'application/csv' }),
      expect: { status: 200, headers: { 'content-type': { startsWith: 'application/csv' } }, text: { matches: '^uid\\n[A-Za-z][A-Za-z0-9]{10}\\n[A-Za-z][A-Za-z0-9]{10}\\n$' } },
    }],
  },
  {
    id: 'system.uid-alias-and-uuid',
    title: '/api/system/uid is an alias; /api/system/uuid gives UUIDs in the same shape',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    steps: [
      { name: 'uid alias', request: { method: 'GET', path: '/api/system/uid', query: [['limit', '2']] }, expect: { status: 200, json: { codes: { length: 2 }, 'codes.1': { matches: UID_RE } } } },
      {
        name: 'uuid',
        request: { method: 'GET', path: '/api/system/uuid', query: [['limit', '2']] },
        expect: { status: 200, json: { codes: { length: 2 }, 'codes.0': { matches: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } } },
      },
    ],
  },
  {
    id: 'system.me.fields',
    title: '/api/me honours fields (a client asks only for what it reads)',
    area: 'system',
    source: [SRC.me],
    needs: 'read-only',
    steps: [
      { name: 'fields=id,organisationUnits[id]', request: { method: 'GET', path: '/api/me', query: [['fields', 'id,organisationUnits[id]']] }, expect: { status: 200, json: { $: { keys: ['id', 'organisationUnits'] }, 'organisationUnits.0': { keys: ['id'] } } } },
      { name: 'fields repeated', request: { method: 'GET', path: '/api/me', query: [['fields', 'id'], ['fields', 'organisationUnits']] }, expect: { status: 200, json: { $: { keys: ['id', 'organisationUnits'] } } } },
    ],
  },
  {
    id: 'system.info.fields',
    title: '/api/system/info honours fields from 2.38',
    area: 'system',
    source: [SRC.system],
    needs: 'read-only',
    releases: { from: '2.38' },
    steps: [{ name: 'fields=version', request: { method: 'GET', path: '/api/system/info', query: [['fields', 'version']] }, expect: { status: 200, json: { $: { keys: ['version'] } } } }],
  },
]);
