import { defineCases } from '../types.js';
import { SRC } from './common.js';

const me = (auth: 'none' | { header: string }, headers?: Record<string, string>) => ({ method: 'GET' as const, path: '/api/me', auth, headers });
const unauthorized = (message: string) => ({ httpStatusCode: { equals: 401 }, status: { equals: 'ERROR' }, message: { equals: message } });

/** What a client without credentials, with bad ones, or with an API token receives. */
export const AUTH_CASES = defineCases([
  {
    id: 'auth.anonymous.redirect',
    title: 'no credentials: a redirect to the login page, whatever Accept asks',
    area: 'auth',
    source: [SRC.security],
    needs: 'read-only',
    steps: [
      {
        name: 'Accept JSON',
        request: me('none'),
        expect: [
          { releases: { to: '2.40' }, status: 302, headers: { location: { endsWith: '/dhis-web-commons/security/login.action' } } },
          { releases: { from: '2.41' }, status: 302, headers: { location: { endsWith: '/dhis-web-login/' } } },
        ],
      },
      { name: 'Accept XML', request: me('none', { accept: 'application/xml' }), expect: { status: 302 } },
    ],
  },
  {
    id: 'auth.anonymous.xhr',
    title: 'no credentials with X-Requested-With: XMLHttpRequest: 401 JSON',
    area: 'auth',
    source: [SRC.security],
    needs: 'read-only',
    steps: [{ name: 'xhr', request: me('none', { 'x-requested-with': 'XMLHttpRequest' }), expect: { status: 401, json: unauthorized('Unauthorized') } }],
  },
  {
    id: 'auth.basic.wrong-password',
    title: 'Basic with a wrong password: 401 WebMessage (no redirect)',
    area: 'auth',
    source: [SRC.security],
    needs: 'read-only',
    steps: [{ name: 'wrong password', request: me({ header: '{{wrongPasswordBasic}}' }), expect: { status: 401, json: { httpStatusCode: { equals: 401 }, status: { equals: 'ERROR' } } } }],
  },
  {
    id: 'auth.bearer-ignored',
    title: 'a Bearer header authenticates nobody (JWT off by default): the login redirect',
    area: 'auth',
    source: [SRC.security],
    needs: 'read-only',
    steps: [{ name: 'bearer', request: me({ header: 'Bearer abc' }), expect: { status: 302 } }],
  },
  {
    id: 'auth.token.before-2.37',
    title: 'ApiToken before 2.37 is not a credential: the login redirect',
    area: 'auth',
    source: [SRC.tokenResolver],
    needs: 'read-only',
    releases: { to: '2.36' },
    steps: [{ name: 'token', request: me({ header: 'ApiToken {{unknownToken}}' }), expect: { status: 302 } }],
  },
  {
    id: 'auth.token.unknown',
    title: 'an unknown token with a valid checksum: 401 "The API token does not exists."',
    area: 'auth',
    source: [SRC.tokenResolver, SRC.tokenEntryPoint],
    needs: 'read-only',
    releases: { from: '2.37' },
    steps: [{
      name: 'unknown token',
      request: me({ header: 'ApiToken {{unknownToken}}' }),
      expect: { status: 401, headers: { 'www-authenticate': { startsWith: 'ApiToken' } }, json: unauthorized('The API token does not exists.') },
    }],
  },
  {
    id: 'auth.token.malformed',
    title: 'an ApiToken header the pattern rejects (a space in the token, two spaces after the scheme): 401 "Api token is malformed"',
    area: 'auth',
    source: [SRC.tokenResolver],
    needs: 'read-only',
    releases: { from: '2.37' },
    steps: [
      { name: 'space in the token', request: me({ header: 'ApiToken bad token!' }), expect: { status: 401, json: unauthorized('Api token is malformed') } },
      { name: 'two spaces', request: me({ header: 'ApiToken  {{unknownToken}}' }), expect: { status: 401, json: unauthorized('Api token is malformed') } },
    ],
  },
  {
    id: 'auth.token.checksum',
    title: 'a d2pat token with a wrong CRC32 checksum: 400 "Checksum validation failed for token"',
    area: 'auth',
    source: [SRC.tokenResolver],
    needs: 'read-only',
    releases: { from: '2.37' },
    steps: [{
      name: 'bad checksum',
      request: me({ header: 'ApiToken {{badChecksumToken}}' }),
      expect: { status: 400, json: { httpStatusCode: { equals: 400 }, message: { equals: 'Checksum validation failed for token' } } },
    }],
  },
  {
    id: 'auth.token.unknown-type',
    title: 'a token with an unknown type prefix: 400 "Could not resolve token type"',
    area: 'auth',
    source: [SRC.tokenResolver],
    needs: 'read-only',
    releases: { from: '2.37' },
    steps: [{ name: 'abc_def', request: me({ header: 'ApiToken abc_def' }), expect: { status: 400, json: { message: { equals: 'Could not resolve token type' } } } }],
  },
]);
