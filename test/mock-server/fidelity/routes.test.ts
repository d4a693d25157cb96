import { describe, expect, it } from 'vitest';
import { DEMO_IDS, demoFixture } from '../../../mock-server/index.js';
import { ADMIN, BO_CLERK, emulator } from '../helpers.js';

const OU = DEMO_IDS.orgUnits;
const AT = DEMO_IDS.attributes;
const TET = DEMO_IDS.trackedEntityType;
const TEI = '/api/trackedEntityInstances';
/** superagent would JSON-encode a Buffer sent as application/json; send the bytes as they are */
const asIs = ((bytes: Buffer) => bytes) as unknown as (body: unknown) => string;
const person = (key: string, ou: string = OU.ngelehun) => ({
  trackedEntityType: TET, orgUnit: ou, attributes: [{ attribute: AT.nationalId, value: key }, { attribute: AT.firstName, value: 'Ama' }],
});

describe('invalid UTF-8 bodies are refused, never stored as U+FFFD', () => {
  const body = Buffer.concat([Buffer.from(`{"trackedEntityType":"${TET}","orgUnit":"${OU.ngelehun}","attributes":[{"attribute":"${AT.nationalId}","value":"A`), Buffer.from([0xc3, 0x28]), Buffer.from(`"},{"attribute":"${AT.firstName}","value":"Ama"}]}`)]);

  it('legacy POST: 409 "Invalid UTF-8 middle byte", nothing stored', async () => {
    const e = await emulator({ dhis2Version: '2.39' });
    const res = await e.raw.post(TEI).set('Authorization', ADMIN).set('Content-Type', 'application/json').serialize(asIs).send(body);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('Invalid UTF-8 middle byte 0x28');
    expect(e.mock.admin.state()).toEqual([]);
  });

  it('tracker sync import: 400, nothing stored', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    const res = await e.raw.post('/api/tracker?async=false').set('Authorization', ADMIN).set('Content-Type', 'application/json').serialize(asIs)
      .send(Buffer.concat([Buffer.from('{"trackedEntities":[{"trackedEntityType":"'), Buffer.from([0xff]), Buffer.from('"}]}')]));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Invalid UTF-8 start byte 0xff');
    expect(e.mock.admin.state()).toEqual([]);
  });

  it('valid UTF-8 (accents, emoji) is stored as sent', async () => {
    const e = await emulator({ dhis2Version: '2.39' });
    const res = await e.post(TEI, { ...person('UTF8-1'), attributes: [{ attribute: AT.nationalId, value: 'UTF8-1' }, { attribute: AT.firstName, value: 'Zoë 🌍' }] });
    expect(res.status).toBe(200);
    expect(e.mock.admin.state()[0].attributes.find((a) => a.attribute === AT.firstName)?.value).toBe('Zoë 🌍');
  });
});

describe('/count and /query run the search-scope rules (validateSearchScope)', () => {
  /** bo_clerk may search the whole country but capture only in Bo: searches outside Bo are global */
  const fixture = () => {
    const f = demoFixture();
    const clerk = f.metadata.users.find((u) => u.username === 'bo_clerk')!;
    clerk.teiSearchOrganisationUnits = [OU.sierraLeone];
    f.metadata.trackedEntityTypes[0].maxTeiCountToReturn = 2;
    return f;
  };
  const q = (path: string, params: string) => `${TEI}/${path}?ou=${OU.sierraLeone}&ouMode=DESCENDANTS&trackedEntityType=${TET}&${params}`;

  it.each([
    ['count', 'query=LIKE:a', 'Query cannot be used during global search'],
    ['query', `filter=${AT.dateOfBirth}:EQ:2000-01-01`, `Non-searchable attribute(s) can not be used during global search:  [${AT.dateOfBirth}]`],
    ['count', '', 'At least 1 attributes should be mentioned in the search criteria.'],
    ['query', `filter=${AT.firstName}:LIKE:a&page=2&pageSize=2`, 'maxteicountreached'],
  ])('global /%s with %s → 409 %s', async (path, params, message) => {
    const e = await emulator({ fixture: fixture() });
    const res = await e.get(q(path, params), BO_CLERK);
    expect([res.status, res.body.message]).toEqual([409, message]);
  });

  it('a unique EQ filter lifts the minimum; the admin (capture scope = root) searches locally', async () => {
    const e = await emulator({ fixture: fixture() });
    await e.post(TEI, person('SCOPE-1'));
    expect((await e.get(q('count', `filter=${AT.nationalId}:EQ:SCOPE-1`), BO_CLERK)).body).toBe(1);
    expect((await e.get(q('count', ''))).body).toBe(1);
  });
});

describe('/query grid details', () => {
  it('program columns, includeDeleted, skipMeta and totalPages', async () => {
    const e = await emulator({ dhis2Version: '2.40' });
    const uid = (await e.post(TEI, person('GRID-1'))).body.response.importSummaries[0].reference;
    await e.del(`${TEI}/${uid}`);
    const res = await e.get(`${TEI}/query?ou=${OU.sierraLeone}&ouMode=DESCENDANTS&trackedEntityType=${TET}&includeDeleted=true&totalPages=true&skipMeta=true`);
    expect(res.status).toBe(200);
    expect(res.body.headers.map((h: { name: string }) => h.name).slice(0, 9)).toEqual(['instance', 'created', 'lastupdated', 'ou', 'ouname', 'te', 'inactive', 'potentialduplicate', 'deleted']);
    expect(res.body.headers[8]).toMatchObject({ valueType: 'BOOLEAN', type: 'java.lang.Boolean' });
    expect(res.body.rows[0].slice(0, 9)).toEqual([uid, expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/), expect.any(String), OU.ngelehun, 'Ngelehun CHC', TET, 'false', 'false', 'true']);
    expect(res.body.metaData).toEqual({ pager: { page: 1, pageCount: 1, total: 1, pageSize: 50 } });
    const byProgram = await e.get(`${TEI}/query?ou=${OU.sierraLeone}&ouMode=DESCENDANTS&program=${DEMO_IDS.program}`);
    expect(byProgram.body.headers.slice(8).map((h: { name: string }) => h.name)).toEqual([AT.firstName, AT.lastName, AT.gender]);
  });
});

describe('OPTIONS (Spring HttpOptionsHandler)', () => {
  it.each([
    ['2.40', TEI, 200, 'GET,HEAD,POST,OPTIONS'],
    ['2.40', `${TEI}/Abcdefghij1`, 200, 'GET,HEAD,PUT,DELETE,OPTIONS'],
    ['2.42', TEI, 404, undefined],
    ['2.40', '/api/tracker', 200, 'POST,OPTIONS'],
    ['2.40', '/api/nothingHere', 404, undefined],
  ])('%s OPTIONS %s → %i Allow %s', async (version, path, status, allow) => {
    const e = await emulator({ dhis2Version: version });
    const res = await e.raw.options(path).set('Authorization', ADMIN);
    expect(res.status).toBe(status);
    expect(res.headers.allow).toBe(allow);
    if (status === 200) expect(res.text).toBe('');
  });
});

describe('discovery and system extras', () => {
  it('/api/schemas/{type}/{property}: a property, or 404 naming it', async () => {
    const e = await emulator({ dhis2Version: '2.41' });
    expect((await e.get('/api/schemas/trackedEntityAttribute/unique')).body).toMatchObject({ name: 'unique', propertyType: 'BOOLEAN' });
    const missing = await e.get('/api/schemas/trackedEntityAttribute/nope');
    expect([missing.status, missing.body.message, missing.body.errorCode]).toEqual([404, 'Property nope does not exist on type trackedEntityAttribute.', 'E1005']);
  });

  it('the resource index of 2.42 still names trackedEntityInstances; 2.41 calls its class TrackedEntity', async () => {
    const e = await emulator({ dhis2Version: '2.42' });
    expect((await e.get('/api/resources')).body.resources).toContainEqual(expect.objectContaining({ plural: 'trackedEntityInstances' }));
    expect((await e.get('/api/schemas/trackedEntityInstance?fields=klass')).body).toEqual({ klass: 'org.hisp.dhis.trackedentity.TrackedEntity' });
  });

  it('tracker CSV imports get an explicit emulator answer, not a fake import', async () => {
    const e = await emulator({ dhis2Version: '2.40' });
    const res = await e.raw.post('/api/tracker?async=false').set('Authorization', ADMIN).set('Content-Type', 'text/csv').send('event,status\n');
    expect(res.status).toBe(501);
    expect(res.body.message).toMatch(/emulator imports tracker JSON only/);
  });
});
