/**
 * Generators of hostile HTTP requests for the emulator: plausible DHIS2 requests bent in every
 * direction (methods, paths, query strings, filters, bodies, headers), so the fuzzer reaches the
 * parsers behind the auth and routing layers instead of bouncing off a 404.
 */
import fc from 'fast-check';
import { ADMIN_API_TOKEN, DEMO_IDS } from '../../../mock-server/index.js';
import { ADMIN, BO_CLERK } from '../../mock-server/helpers.js';

export interface FuzzRequest {
  method: string;
  /** raw path + query, ASCII only (what goes on the request line) */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const A = DEMO_IDS.attributes;
const UIDS = [...Object.values(DEMO_IDS.orgUnits), ...Object.values(A), DEMO_IDS.trackedEntityType, DEMO_IDS.program, 'B0000000001', 'abcdefghijk', '0notAnUid0'];
const HOSTILE_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then'];

/** Percent-encodes the UTF-8 bytes of anything outside a conservative ASCII set. */
function enc(s: string, keep = /[A-Za-z0-9\-._~:;,!*'()/@$]/): string {
  let out = '';
  for (const ch of s) {
    if (keep.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const unicode = fc.string({ unit: 'binary', maxLength: 12 });
const oddText = fc.oneof(
  fc.string({ maxLength: 20 }),
  unicode,
  fc.constantFrom(...HOSTILE_WORDS, '', ' ', '%', '%zz', '%00', '%E0%A4%A', '\u0000', '..', '../..', '\u202e', '😀', 'ǅ', 'İ', 'ß', 'NID-001', 'nid-001'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('9'.repeat(400), 'x'.repeat(3000), '1e309', '-0', 'NaN', 'Infinity', 'true', 'null'),
);
/** raw = inserted as is (may carry broken escapes); otherwise percent-encoded */
const queryPiece = fc.oneof({ weight: 4, arbitrary: oddText.map((s) => enc(s)) }, { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%%', '%E2%82', '+', '&&', '==', '[]', '[a][b]', '%5B%5D') });

const op = fc.constantFrom('EQ', 'eq', 'NE', 'LIKE', 'IN', 'GT', 'GE', 'LT', 'LE', 'SW', 'EW', 'NULL', 'NNULL', 'ILIKE', '', 'XX', '!EQ');
const attr = fc.oneof(fc.constantFrom(...Object.values(A)), fc.constantFrom(...UIDS), oddText);
const filterItem = fc
  .tuple(attr, fc.array(fc.tuple(op, fc.oneof(oddText, fc.array(oddText, { maxLength: 5 }).map((v) => v.join(';')))), { maxLength: 4 }))
  .map(([a, pairs]) => [a, ...pairs.flatMap(([o, v]) => [o, v])].join(':'));
const filterValue = fc.oneof(
  filterItem,
  fc.array(filterItem, { maxLength: 6 }).map((items) => items.join(',')),
  fc.integer({ min: 1, max: 60 }).map((n) => Array.from({ length: n }, (_, i) => `${A.nationalId}:EQ:${i}`).join(',')),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${A.nationalId}:LIKE:${'\\/'.repeat(n)}`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${A.nationalId}${':EQ'.repeat(n)}`),
);

const PARAMS = [
  'filter', 'attribute', 'ou', 'orgUnit', 'orgUnits', 'ouMode', 'orgUnitMode', 'program', 'programStatus', 'trackedEntityType',
  'trackedEntity', 'trackedEntities', 'trackedEntityInstance', 'fields', 'order', 'page', 'pageSize', 'paging', 'totalPages',
  'skipPaging', 'includeDeleted', 'query', 'strategy', 'importStrategy', 'atomicMode', 'async', 'reportMode', 'dryRun',
  'importMode', 'validationMode', 'lastUpdatedDuration', 'lastUpdatedStartDate', 'updatedAfter', 'limit', 'followUp',
  'ignoreEmptyCollection', 'idScheme', 'flush',
];
const paramValue = (name: string) => {
  if (name === 'filter' || name === 'attribute') return filterValue.map((v) => enc(v));
  if (name === 'fields') {
    return fc.oneof(
      fc.constantFrom('*', ':all', '!*', 'attributes[attribute,value]', 'attributes[*,!value]', '*,!attributes', '[[[', ']]]', 'a[b[c[d]]]', ':owner', 'enrollments[*]', '__proto__'),
      fc.integer({ min: 1, max: 2000 }).map((n) => 'a['.repeat(n) + ']'.repeat(n)),
      oddText,
    ).map((v) => enc(v));
  }
  if (['ouMode', 'orgUnitMode'].includes(name)) return fc.constantFrom('SELECTED', 'CHILDREN', 'DESCENDANTS', 'ACCESSIBLE', 'CAPTURE', 'ALL', 'all', 'BOGUS', '');
  if (['ou', 'orgUnit', 'orgUnits', 'program', 'trackedEntityType', 'trackedEntity', 'trackedEntities', 'trackedEntityInstance'].includes(name)) {
    return fc.oneof(fc.constantFrom(...UIDS), fc.array(fc.constantFrom(...UIDS), { maxLength: 4 }).map((l) => l.join(';')), queryPiece);
  }
  return fc.oneof(fc.constantFrom('true', 'false', '0', '-1', '1', '50', '2147483648', '1e3', 'CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE', 'SYNC', 'ALL', 'OBJECT', 'FULL', 'ERRORS', '1d', '5x'), queryPiece);
};
const param = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...PARAMS).chain((name) => paramValue(name).map((v) => `${name}=${v}`)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_WORDS, 'filter[]', 'filter[0]', '__proto__[polluted]', 'constructor[prototype][polluted]', 'a[b][c]'), queryPiece).map(([k, v]) => `${enc(k, /[A-Za-z0-9_[\]]/)}=${v}`) },
  { weight: 1, arbitrary: queryPiece },
);
const queryString = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.array(param, { minLength: 1, maxLength: 8 }).map((ps) => `?${ps.join('&')}`) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2000 }).map((n) => `?${Array.from({ length: n }, (_, i) => `filter=${A.nationalId}:EQ:${i}`).join('&')}`) },
);

const ENDPOINTS = [
  'trackedEntityInstances', 'tracker', 'tracker/trackedEntities', 'tracker/jobs', 'system/info', 'system/id', 'system/uid',
  'system/uuid', 'me', 'trackedEntityTypes', 'trackedEntityAttributes', 'organisationUnits', 'programs', 'optionSets',
  'programTrackedEntityAttributes', 'users', 'enrollments', 'events', 'dataValueSets',
];
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...UIDS) },
  { weight: 2, arbitrary: oddText.map((s) => enc(s, /[A-Za-z0-9\-._~]/)) },
  { weight: 1, arbitrary: fc.constantFrom('report', 'jobs', '..', '%2e%2e', '%2F', '%00', '%', '%zz', ...HOSTILE_WORDS) },
);
const apiPrefix = fc.oneof({ weight: 8, arbitrary: fc.constant('/api') }, { weight: 2, arbitrary: fc.constantFrom('/api/40', '/api/41', '/api/35', '/api/999', '/api/ab', '/api//', '/API') });
// mostly the tracked-entity endpoints, where the parsers are; the rest keeps routing honest
const endpoint = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('trackedEntityInstances', 'tracker', 'tracker/trackedEntities') },
  { weight: 3, arbitrary: fc.constantFrom(...ENDPOINTS) },
);
const rest = fc.oneof({ weight: 5, arbitrary: fc.constant([] as string[]) }, { weight: 4, arbitrary: fc.array(segment, { maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(segment, { maxLength: 3 }) });
const randomPath = fc
  .tuple(apiPrefix, endpoint, rest, fc.constantFrom('', '', '', '', '', '.json', '/', '.xml', '.json.json'), queryString)
  .map(([prefix, endpoint, rest, suffix, query]) => `${prefix}/${[endpoint, ...rest].join('/')}${suffix}${query}`);

/**
 * A search that passes the mandatory-parameter checks (type, org-unit mode, a known attribute) so
 * the hostile part — operators, values, fields, order, paging — reaches the search and the
 * renderer instead of bouncing off a 409.
 */
const hostileValue1 = fc.oneof(oddText, fc.constantFrom(...HOSTILE_WORDS), fc.array(oddText, { maxLength: 4 }).map((v) => v.join(';')));
const plausibleFilter = fc
  .tuple(fc.constantFrom(...Object.values(A)), fc.array(fc.tuple(op, hostileValue1), { minLength: 1, maxLength: 2 }))
  .map(([a, pairs]) => [a, ...pairs.flatMap(([o, v]) => [o, v])].join(':'));
const extras = fc.array(
  fc.oneof(
    fc.constantFrom('paging=false', 'page=2', 'pageSize=1', 'totalPages=true', 'skipPaging=true', 'includeDeleted=true', 'order=created:desc', `order=${A.nationalId}:asc`, 'order=bogus', `fields=*`, 'fields=attributes[attribute,value]', 'fields=[', 'ouMode=ALL', 'pageSize=0', 'page=-1', 'pageSize=999999999'),
    paramValue('fields').map((v) => `fields=${v}`),
    paramValue('order').map((v) => `order=${v}`),
  ),
  { maxLength: 3 },
);
const plausibleSearch = fc
  .tuple(
    fc.constantFrom('/api/trackedEntityInstances', '/api/tracker/trackedEntities', '/api/41/tracker/trackedEntities.json'),
    fc.constantFrom('ouMode=ACCESSIBLE', 'orgUnitMode=ACCESSIBLE', `ou=${DEMO_IDS.orgUnits.sierraLeone}&ouMode=DESCENDANTS`, `orgUnit=${DEMO_IDS.orgUnits.bo}&ouMode=DESCENDANTS`),
    fc.array(plausibleFilter, { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    extras,
  )
  .map(([base, scope, filters, repeat, more]) => {
    const f = repeat ? filters.map((x) => `filter=${enc(x)}`).join('&') : `filter=${enc(filters.join(','))}`;
    return `${base}?trackedEntityType=${DEMO_IDS.trackedEntityType}&${scope}&${f}${more.length ? `&${more.join('&')}` : ''}`;
  });
const path = fc.oneof({ weight: 3, arbitrary: randomPath }, { weight: 2, arbitrary: plausibleSearch });

/** A structurally plausible tracked entity with wrong types and hostile values sprinkled in. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...UIDS),
  fc.dictionary(fc.constantFrom(...HOSTILE_WORDS, 'id', 'value'), oddText, { maxKeys: 3 }),
  fc.array(oddText, { maxLength: 3 }),
);
const attributeEntry = fc.record(
  { attribute: fc.oneof(fc.constantFrom(...Object.values(A)), hostileValue), value: hostileValue, code: hostileValue },
  { requiredKeys: [] },
);
const entity = fc.record(
  {
    trackedEntityInstance: fc.oneof(fc.constantFrom(...UIDS), hostileValue),
    trackedEntity: fc.oneof(fc.constantFrom(...UIDS), hostileValue),
    trackedEntityType: fc.oneof(fc.constant(DEMO_IDS.trackedEntityType), hostileValue),
    orgUnit: fc.oneof(fc.constantFrom(...Object.values(DEMO_IDS.orgUnits)), hostileValue),
    attributes: fc.oneof(fc.array(attributeEntry, { maxLength: 6 }), hostileValue),
    enrollments: fc.oneof(fc.array(fc.record({ program: fc.oneof(fc.constant(DEMO_IDS.program), hostileValue), orgUnit: hostileValue, enrollmentDate: hostileValue, enrolledAt: hostileValue }, { requiredKeys: [] }), { maxLength: 2 }), hostileValue),
    deleted: hostileValue,
    geometry: hostileValue,
  },
  { requiredKeys: [] },
);
const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"trackedEntityType":"nEenWmSyUEp","orgUnit":"DiszpKrYNg8","attributes":[{"attribute":"__proto__","value":"x"},{"__proto__":{"polluted":1},"attribute":"lZGmxYbs97q","value":"P"}]}',
  '{"trackedEntities":[{"__proto__":{"polluted":true},"trackedEntityType":"nEenWmSyUEp","orgUnit":"DiszpKrYNg8"}]}',
  '[{"__proto__":{"polluted":true}}]',
  '{"trackedEntityInstances":{"__proto__":[]}}',
);
const deepJson = fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('[', '{"a":', '{"attributes":')).map(([depth, open]) => {
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + '1' + close.repeat(depth);
});
const malformed = fc.oneof(
  fc.constantFrom('', '{', '}', '{"a":}', '[1,]', '{"a":1,,}', 'null', 'true', '"str"', '1e999999', 'NaN', '\uFEFF{}', '{"a":"\\ud800"}', '{"a":"\\x"}', '\u0000'),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
);
/** A create the importer accepts structurally, with hostile values in known attributes. */
const plausibleEntity = fc
  .record({
    uid: fc.option(fc.constantFrom(...UIDS), { freq: 2 }),
    orgUnit: fc.constantFrom(...Object.values(DEMO_IDS.orgUnits)),
    values: fc.array(fc.tuple(fc.constantFrom(...Object.values(A)), fc.oneof(hostileValue1, fc.integer().map(String), fc.constantFrom('Male', 'true', '2020-02-30', '1e400'))), { maxLength: 6 }),
  })
  .map(({ uid, orgUnit, values }) => ({
    ...(uid ? { trackedEntityInstance: uid, trackedEntity: uid } : {}),
    trackedEntityType: DEMO_IDS.trackedEntityType,
    orgUnit,
    attributes: [{ attribute: A.firstName, value: 'Fuzz' }, ...values.map(([attribute, value]) => ({ attribute, value }))],
  }));
const body = fc.oneof(
  { weight: 3, arbitrary: plausibleEntity.map((e) => JSON.stringify(e)) },
  { weight: 2, arbitrary: fc.array(plausibleEntity, { minLength: 1, maxLength: 3 }).map((es) => JSON.stringify({ trackedEntityInstances: es, trackedEntities: es })) },
  { weight: 4, arbitrary: entity.map((e) => JSON.stringify(e)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(entity, { maxLength: 4 }), fc.constantFrom('trackedEntityInstances', 'trackedEntities', 'both', 'bare'))
      .map(([es, wrap]) => JSON.stringify(wrap === 'bare' ? es : wrap === 'both' ? { trackedEntityInstances: es, trackedEntities: es } : { [wrap]: es })),
  },
  { weight: 2, arbitrary: malformed },
  { weight: 1, arbitrary: pollution },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 200_000 }).map((n) => JSON.stringify({ trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: 'DiszpKrYNg8', attributes: [{ attribute: A.firstName, value: 'x'.repeat(n) }] })) },
);

const auth = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>(ADMIN) },
  { weight: 1, arbitrary: fc.constant<string | undefined>(BO_CLERK) },
  { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 1, arbitrary: fc.constant<string | undefined>(`ApiToken ${ADMIN_API_TOKEN}`) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.constantFrom('Basic', 'basic', 'Bearer', 'ApiToken', 'Digest', ''), fc.constantFrom('', 'Og==', '!!!', 'YWRtaW46', 'YWRtaW46ZGlzdHJpY3Q=x', 'd2pat_x', 'a'.repeat(5000))).map(
      (s) => s as string | undefined,
    ),
  },
);
const contentType = fc.constantFrom(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'application/vnd.api+json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'garbage',
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
    path,
    auth,
    body: fc.option(body, { freq: 3 }),
    contentType: fc.option(contentType, { freq: 8 }),
    xhr: fc.boolean(),
    encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus'), { freq: 15 }),
  })
  .map(({ method, path, auth, body, contentType, xhr, encoding }) => {
    const headers: Record<string, string> = {};
    if (auth !== undefined) headers.authorization = auth;
    if (contentType !== null) headers['content-type'] = contentType;
    if (xhr) headers['x-requested-with'] = 'XMLHttpRequest';
    if (encoding !== null) headers['content-encoding'] = encoding;
    const withBody = body !== null && method !== 'GET' && method !== 'HEAD';
    return { method, path, headers, ...(withBody ? { body } : {}) };
  });
