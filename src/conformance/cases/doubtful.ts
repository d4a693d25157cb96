import { defineCases } from '../types.js';
import { LEGACY, SRC, TEI, tei } from './common.js';

// {"trackedEntityType":"\xff"}: valid JSON around one byte that is not UTF-8
const INVALID_UTF8 = Buffer.concat([Buffer.from('{"trackedEntityType":"'), Buffer.from([0xff]), Buffer.from('"}')]).toString('base64');

/** Behaviours the spec left open, settled from the source. */
export const DOUBTFUL_CASES = defineCases([
  {
    id: 'doubtful.utf8.legacy',
    title: 'invalid UTF-8 in a legacy body: 409 from Jackson ("Invalid UTF-8 start byte"), nothing decoded to U+FFFD',
    area: 'doubtful',
    source: [SRC.jackson, SRC.advice, SRC.legacyController],
    needs: 'read-only',
    releases: LEGACY,
    steps: [{
      name: 'POST bytes 0xff',
      request: { method: 'POST', path: TEI, headers: { 'content-type': 'application/json' }, body: { base64: INVALID_UTF8 } },
      expect: { status: 409, json: { status: { equals: 'ERROR' }, message: { contains: 'Invalid UTF-8 start byte 0xff' } } },
    }],
  },
  {
    id: 'doubtful.utf8.tracker',
    title: 'invalid UTF-8 in a tracker body: unreadable, nothing imported (500 up to 2.39, 400 later)',
    area: 'doubtful',
    source: [SRC.jackson, SRC.trackerImport, SRC.unreadable],
    needs: 'read-only',
    releases: { from: '2.36' },
    steps: [{
      name: 'POST bytes 0xff',
      request: { method: 'POST', path: '/api/tracker', query: [['async', 'false'], ['importMode', 'VALIDATE']], headers: { 'content-type': 'application/json' }, body: { base64: INVALID_UTF8 } },
      expect: [
        { releases: { to: '2.39' }, status: 500, json: { message: { contains: 'Invalid UTF-8' } } },
        { releases: { from: '2.40' }, status: 400, json: { message: { contains: 'Invalid UTF-8' } } },
      ],
    }],
  },
  {
    id: 'doubtful.body.legacy-shapes',
    title: 'legacy bodies: a JSON syntax error is a 409 (JsonParseException), valid JSON of the wrong shape a 500 (no handler for mapping errors)',
    area: 'doubtful',
    source: [SRC.advice, SRC.unreadable, SRC.legacyController],
    needs: 'read-only',
    releases: LEGACY,
    steps: [
      {
        name: 'truncated JSON',
        request: { method: 'POST', path: TEI, headers: { 'content-type': 'application/json' }, body: { text: '{"trackedEntityType": ' } },
        expect: { status: 409, json: { status: { equals: 'ERROR' } } },
      },
      {
        name: 'attributes is a string',
        request: { method: 'POST', path: TEI, json: { trackedEntityType: '{{trackedEntityType}}', attributes: 'x' } },
        expect: { status: 500, json: { status: { equals: 'ERROR' }, message: { startsWith: 'Cannot deserialize value of type' } } },
      },
    ],
  },
  {
    id: 'doubtful.body.tracker-syntax',
    title: 'a tracker body that is not JSON: 500 up to 2.39 (HttpMessageNotReadableException had no handler)',
    area: 'doubtful',
    source: [SRC.advice, SRC.unreadable, SRC.trackerImport],
    needs: 'read-only',
    releases: { from: '2.36', to: '2.39' },
    steps: [{
      name: 'truncated JSON',
      request: { method: 'POST', path: '/api/tracker', query: [['async', 'false'], ['importMode', 'VALIDATE']], headers: { 'content-type': 'application/json' }, body: { text: '{"trackedEntities": ' } },
      expect: { status: 500, json: { status: { equals: 'ERROR' } } },
    }],
  },
  {
    id: 'doubtful.options',
    title: 'OPTIONS: authenticated → 200, Allow with GET, empty body; anonymous → the login redirect',
    area: 'doubtful',
    source: [SRC.options, SRC.security],
    needs: 'read-only',
    steps: [
      { name: 'authenticated', request: { method: 'OPTIONS', path: '/api/me' }, expect: { status: 200, headers: { allow: { matches: '\\bGET\\b' } }, text: { equals: '' } } },
      { name: 'anonymous', request: { method: 'OPTIONS', path: '/api/me', auth: 'none' }, expect: { status: 302 } },
    ],
  },
  {
    id: 'doubtful.legacy-put-outside-scope',
    title: "a legacy PUT may move a TEI out of the user's capture scope: write access is checked on the stored org unit only",
    area: 'doubtful',
    source: [SRC.legacyUpdate],
    needs: 'writes',
    releases: LEGACY,
    requires: ['restrictedUser'],
    steps: [
      {
        name: 'create inside the scope',
        request: { method: 'POST', path: TEI, auth: 'restricted', json: tei({ orgUnit: '{{restricted.insideOrgUnit}}' }) },
        expect: { status: 200 },
        capture: { moved: 'response.importSummaries.0.reference' },
      },
      {
        name: 'PUT with an org unit outside the scope',
        request: { method: 'PUT', path: `${TEI}/{{moved}}`, auth: 'restricted', json: tei({ orgUnit: '{{restricted.outsideOrgUnit}}' }) },
        expect: { status: 200, json: { 'response.status': { equals: 'SUCCESS' }, 'response.importCount.updated': { equals: 1 } } },
      },
      { name: 'it moved', request: { method: 'GET', path: `${TEI}/{{moved}}`, query: [['fields', 'orgUnit']] }, expect: { status: 200, json: { orgUnit: { equals: '{{restricted.outsideOrgUnit}}' } } } },
      { name: 'the restricted user can no longer read it', request: { method: 'GET', path: `${TEI}/{{moved}}`, auth: 'restricted' }, expect: { status: 409 } },
    ],
  },
]);
