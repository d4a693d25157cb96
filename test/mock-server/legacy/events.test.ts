/**
 * Legacy `/api/events` (2.35–2.41). Sources: dxf2/events/importer (InsertValidationFactory's check
 * order: EventDateCheck, OrgUnitCheck, ProgramCheck, ProgramStageCheck, TrackedEntityInstanceCheck,
 * ProgramInstanceCheck, ProgramInstanceRepeatableStageCheck, ProgramOrgUnitCheck,
 * EventCreationAclCheck, …, DataValueCheck; the update map: EventSimpleCheck,
 * ProgramStageInstanceBasicCheck, …), EventManager ("already exists or was deleted earlier"),
 * FilteringOutUndeclaredDataElementsProcessor, EventController (ImportSummaries WebMessage).
 */
import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { DE, emulator, enrolled, EVENTS_PATH, L, legacyEvent, OU, PROGRAM, PS, summaryOf, TB, type Emu } from './support.js';

const post = (e: Emu, body: unknown, query = '', auth?: string) => e.post(`${EVENTS_PATH}${query ? `?${query}` : ''}`, body, auth);

describe('POST /api/events: create (§2.9 events)', () => {
  it('§2.9 a single event: ImportSummaries with href, Location, importOptions echoed; stored against the active enrollment', async () => {
    const e = await emulator({ dhis2Version: '2.39' });
    await enrolled(e);
    const res = await post(e, legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ httpStatusCode: 200, status: 'OK', message: 'Import was successful.', response: { responseType: 'ImportSummaries', imported: 1, total: 1 } });
    expect(summaryOf(res)).toMatchObject({ status: 'SUCCESS', reference: L.ev1, importCount: { imported: 1 }, importOptions: { importStrategy: 'CREATE_AND_UPDATE' } });
    expect(summaryOf(res).href).toMatch(new RegExp(`/api/events/${L.ev1}$`));
    expect(res.headers.location).toBe(`/api/events/${L.ev1}`);
    expect(e.mock.events.get(L.ev1)).toMatchObject({ enrollment: L.en1, trackedEntity: L.tei, occurredAt: '2024-02-01T00:00:00.000', scheduledAt: '2024-02-01T00:00:00.000' });
  });

  it('§2.9 the enrollment UID alone finds the entity; values of data elements not on the stage are dropped silently', async () => {
    const e = await emulator();
    await enrolled(e);
    const res = await post(e, legacyEvent({ event: L.ev1, enrollment: L.en1, dataValues: [{ dataElement: DE.infantWeight, value: '1' }, { dataElement: DE.apgarScore, value: '7' }] }));
    expect(res.status).toBe(200);
    expect(e.mock.events.get(L.ev1)!.dataValues.map((d) => d.dataElement)).toEqual([DE.infantWeight]);
  });

  it('§2.9 bulk {"events": [...]}: per-event summaries, 409 when any failed, the good one still saved', async () => {
    const e = await emulator();
    await enrolled(e);
    const res = await post(e, { events: [legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }), legacyEvent({ event: L.ev2, trackedEntityInstance: L.tei, orgUnit: 'NoSuchOu001' })] });
    expect(res.status).toBe(409);
    expect(res.body.response).toMatchObject({ status: 'ERROR', imported: 1, ignored: 1, total: 2 });
    expect(e.mock.events.has(L.ev1)).toBe(true);
    expect(e.mock.events.has(L.ev2)).toBe(false);
  });

  it('§2.9 strategy=CREATE with an existing (or deleted) UID: "already exists or was deleted earlier"', async () => {
    const e = await emulator();
    await enrolled(e);
    await post(e, legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }));
    await e.del(`${EVENTS_PATH}/${L.ev1}`);
    const res = await post(e, legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }), 'strategy=CREATE');
    expect(summaryOf(res)).toMatchObject({ status: 'ERROR', description: `Event ${L.ev1} already exists or was deleted earlier`, reference: L.ev1, importCount: { ignored: 1 } });
  });

  it('§2.9 racy: two Birth events in one bulk request both pass — the repeatable-stage check reads committed data only', async () => {
    const e = await emulator({ uniqueness: 'racy', raceWindowMs: [0, 0] });
    await enrolled(e);
    const birth = (event: string) => legacyEvent({ event, trackedEntityInstance: L.tei, programStage: PS.birth, dataValues: [] });
    const res = await post(e, { events: [birth(L.ev1), birth(L.ev2)] });
    expect(res.status).toBe(200);
    expect(e.mock.admin.invariants().duplicateEvents).toEqual([{ reason: 'nonRepeatableStage', trackedEntity: L.tei, programStage: PS.birth, enrollment: L.en1, events: [L.ev1, L.ev2] }]);
  });

  it('§2.9 atomic (the ideal server): the second Birth event of the request is refused at commit', async () => {
    const e = await emulator();
    await enrolled(e);
    const birth = (event: string) => legacyEvent({ event, trackedEntityInstance: L.tei, programStage: PS.birth, dataValues: [] });
    const res = await post(e, { events: [birth(L.ev1), birth(L.ev2)] });
    expect(res.status).toBe(409);
    expect(summaryOf(res, 1)).toMatchObject({ status: 'ERROR', description: 'Program stage is not repeatable and an event already exists' });
    expect(e.mock.admin.invariants().duplicateEvents).toEqual([]);
  });
});

type Arrange = (e: Emu) => Promise<unknown>;
const justEnrolled: Arrange = (e) => enrolled(e);

/** Insert checks in their order: the first failing one decides (summary description, or conflicts). */
const createCases: [string, Arrange, Record<string, unknown>, Record<string, unknown>, string?][] = [
  ['EventDateCheck: an ACTIVE event needs an event date', justEnrolled, { eventDate: undefined }, { description: 'Event date is required. ', reference: L.ev1 }],
  ['EventDateCheck: an unreadable date', justEnrolled, { eventDate: '2024-13-45' }, { description: 'Event date or Execution date format is not correct. ' }],
  ['OrgUnitCheck', justEnrolled, { orgUnit: 'NoSuchOu001' }, { description: 'Event.orgUnit does not point to a valid organisation unit: NoSuchOu001' }],
  ['ProgramCheck', justEnrolled, { program: 'NoSuchPrg01' }, { description: 'Event.program does not point to a valid program: NoSuchPrg01' }],
  ['ProgramStageCheck', justEnrolled, { programStage: 'NoSuchPs001' }, { description: 'Event.programStage does not point to a valid programStage: NoSuchPs001' }],
  ['TrackedEntityInstanceCheck', justEnrolled, { trackedEntityInstance: 'NoSuchTei01' }, { description: 'Event.trackedEntityInstance does not point to a valid tracked entity instance: NoSuchTei01' }],
  ['ProgramInstanceCheck: not enrolled in the program', justEnrolled, { program: TB, programStage: PS.tbVisit, dataValues: [] }, { description: `Tracked entity instance: ${L.tei} is not enrolled in program: ${TB}` }],
  ['ProgramInstanceRepeatableStageCheck', (e) => enrolled(e).then(() => post(e, legacyEvent({ event: L.ev2, trackedEntityInstance: L.tei, programStage: PS.birth, dataValues: [] }))), { programStage: PS.birth, dataValues: [] }, { description: 'Program stage is not repeatable and an event already exists' }],
  ['ProgramOrgUnitCheck', justEnrolled, { orgUnit: OU.bo }, { description: `Program is not assigned to this Organisation Unit: ${OU.bo}` }],
  ['DataValueCheck: an unknown data element', justEnrolled, { dataValues: [{ dataElement: 'NoSuchDe001', value: '1' }] }, { conflicts: [{ object: 'dataElement', value: 'NoSuchDe001 is not a valid data element' }], reference: L.ev1 }],
  ['DataValueCheck: the value type (first bad value only)', justEnrolled, { dataValues: [{ dataElement: DE.infantWeight, value: '-1' }, { dataElement: DE.visitDate, value: 'x' }] }, { conflicts: [{ object: DE.infantWeight, value: 'value_not_positive_integer' }] }],
  ['DataValueCheck: an option not in the set', justEnrolled, { dataValues: [{ dataElement: DE.infantWeight, value: '1' }, { dataElement: DE.infantFeeding, value: 'Formula' }] }, { conflicts: [{ object: DE.infantFeeding, value: 'value_not_valid_option' }] }],
  ['DataValueCheck: a compulsory value missing (bo_clerk; superusers skip it)', justEnrolled, { dataValues: [] }, { conflicts: [{ object: DE.infantWeight, value: 'value_required_but_not_provided' }] }, BO_CLERK],
  ['EventCreationAclCheck: outside the capture scope', (e) => enrolled(e, { orgUnit: OU.kamaranka }).then(() => undefined), { orgUnit: OU.kamaranka }, { conflicts: [{ object: L.ev1, value: `User has no create access to organisation unit: ${OU.kamaranka}` }] }, BO_CLERK],
];

describe('POST /api/events: insert checks in DHIS2 order (2.35–2.41)', () => {
  it.each(createCases.map((c) => [c[0], c] as const))('§2.9 %s', async (_name, [, arrange, override, expected, auth]) => {
    const e = await emulator({ dhis2Version: '2.38' });
    await arrange(e);
    const res = await post(e, legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei, ...override }), '', auth);
    expect(res.status).toBe(409);
    expect(summaryOf(res)).toMatchObject({ status: 'ERROR', importCount: { ignored: 1 }, ...expected });
    expect(e.mock.events.has(L.ev1)).toBe(false);
  });

  it('§2.9 ownership alone (OWNERSHIP_ACCESS_DENIED): a PROTECTED program owned outside the capture scope', async () => {
    const e = await emulator();
    e.mock.runtime.ctx.meta.users.get('bo_clerk')!.teiSearchOrganisationUnits = [OU.sierraLeone];
    await e.post('/api/trackedEntityInstances', { trackedEntityInstance: L.tei, trackedEntityType: 'nEenWmSyUEp', orgUnit: OU.kamaranka, attributes: [{ attribute: 'w75KJ2mc4zz', value: 'A' }], enrollments: [{ enrollment: L.en1, program: TB, orgUnit: OU.kamaranka, enrollmentDate: '2024-01-01' }] });
    const res = await post(e, legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei, program: TB, programStage: PS.tbVisit, dataValues: [] }), '', BO_CLERK);
    expect(summaryOf(res).conflicts).toEqual([{ object: L.ev1, value: 'OWNERSHIP_ACCESS_DENIED' }]);
  });
});

describe('updates, PUT, DELETE', () => {
  const setup = async () => {
    const e = await emulator();
    await enrolled(e);
    await post(e, legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei, dataValues: [{ dataElement: DE.infantWeight, value: '3200' }, { dataElement: DE.infantFeeding, value: 'Mixed' }] }));
    return e;
  };
  const values = (e: Emu) => Object.fromEntries(e.mock.events.get(L.ev1)!.dataValues.map((d) => [d.dataElement, d.value]));

  it('§2.9 an update replaces the data values by default (values not sent are gone)', async () => {
    const e = await setup();
    const res = await post(e, legacyEvent({ event: L.ev1, dataValues: [{ dataElement: DE.infantWeight, value: '3300' }] }));
    expect(summaryOf(res)).toMatchObject({ status: 'SUCCESS', importCount: { updated: 1 }, reference: L.ev1 });
    expect(values(e)).toEqual({ [DE.infantWeight]: '3300' });
  });

  it('§2.9 mergeDataValues=true keeps the values not sent', async () => {
    const e = await setup();
    await e.put(`${EVENTS_PATH}/${L.ev1}?mergeDataValues=true`, legacyEvent({ dataValues: [{ dataElement: DE.infantWeight, value: '3300' }] }));
    expect(values(e)).toEqual({ [DE.infantWeight]: '3300', [DE.infantFeeding]: 'Mixed' });
  });

  it('§2.9 PUT answers one ImportSummary; PUT of an unknown event: "doesn\'t point to valid event"', async () => {
    const e = await setup();
    const ok = await e.put(`${EVENTS_PATH}/${L.ev1}`, legacyEvent());
    expect(ok.body).toMatchObject({ httpStatusCode: 200, response: { responseType: 'ImportSummary', status: 'SUCCESS', importCount: { updated: 1 } } });
    const res = await e.put(`${EVENTS_PATH}/${L.ev3}`, legacyEvent());
    expect(res.status).toBe(409);
    expect(res.body.response).toMatchObject({ status: 'ERROR', description: `Event ID ${L.ev3} doesn't point to valid event`, conflicts: [{ object: 'Invalid Event ID', value: L.ev3 }] });
  });

  it('§2.9 DELETE is soft; a second DELETE is "not present"; updating it afterwards is refused', async () => {
    const e = await setup();
    const del = await e.del(`${EVENTS_PATH}/${L.ev1}`);
    expect(del.body.response).toMatchObject({ status: 'SUCCESS', description: `Deletion of event ${L.ev1} was successful`, importCount: { deleted: 1 } });
    expect(e.mock.events.get(L.ev1)?.deleted).toBe(true);
    const again = await e.del(`${EVENTS_PATH}/${L.ev1}`);
    expect(again.body.response).toMatchObject({ status: 'SUCCESS', importCount: { ignored: 1 }, description: `Event ${L.ev1} cannot be deleted as it is not present in the system` });
    const upd = await post(e, legacyEvent({ event: L.ev1 }));
    expect(summaryOf(upd).description).toBe(`Event ID ${L.ev1} was already used and/or deleted. This event can not be modified.`);
  });

  it('§2.9 un-completing a COMPLETED event needs F_UNCOMPLETE_EVENT', async () => {
    const e = await setup();
    await e.put(`${EVENTS_PATH}/${L.ev1}`, legacyEvent({ status: 'COMPLETED' }));
    const res = await e.put(`${EVENTS_PATH}/${L.ev1}`, legacyEvent({ status: 'ACTIVE' }), BO_CLERK);
    expect(res.status).toBe(409);
    expect(e.mock.events.get(L.ev1)?.status).toBe('COMPLETED');
  });
});

describe('GET /api/events and /api/events/{uid}', () => {
  it('§2.9 list: SlimPager by default, a full pager with totalPages=true, none with skipPaging=true; filters by program/stage/entity', async () => {
    const e = await emulator();
    await enrolled(e);
    await post(e, { events: [legacyEvent({ event: L.ev1, trackedEntityInstance: L.tei }), legacyEvent({ event: L.ev2, trackedEntityInstance: L.tei, programStage: PS.birth, dataValues: [] })] });
    const plain = await e.get(`${EVENTS_PATH}?program=${PROGRAM}&orgUnit=${OU.ngelehun}`);
    expect(plain.body.pager).toEqual({ page: 1, pageSize: 50, isLastPage: true });
    expect(plain.body.events.map((x: { event: string }) => x.event)).toEqual([L.ev1, L.ev2]);
    const full = await e.get(`${EVENTS_PATH}?programStage=${PS.birth}&totalPages=true`);
    expect(full.body).toMatchObject({ pager: { page: 1, total: 1 }, events: [{ event: L.ev2, programStage: PS.birth, enrollmentStatus: 'ACTIVE' }] });
    const all = await e.get(`${EVENTS_PATH}?trackedEntityInstance=${L.tei}&skipPaging=true&fields=event`);
    expect(all.body).toEqual({ events: [{ event: L.ev1 }, { event: L.ev2 }] });
  });

  it.each([
    ['program=NoSuchPrg01', 'Program is specified but does not exist: NoSuchPrg01'],
    ['orgUnit=NoSuchOu001', 'Org unit is specified but does not exist: NoSuchOu001'],
    ['programStage=NoSuchPs001', 'Program stage is specified but does not exist: NoSuchPs001'],
  ])('§2.9 list: %s → 409 %s', async (query, message) => {
    const e = await emulator();
    const res = await e.get(`${EVENTS_PATH}?${query}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(message);
  });

  it.each([['2.39', 'Event not found for ID NoSuchEvt01', undefined], ['2.40', 'Event with id NoSuchEvt01 could not be found.', 'E1005']])('§2.9 %s GET of an unknown event → 404', async (version, message, errorCode) => {
    const e = await emulator({ dhis2Version: version });
    const res = await e.get(`${EVENTS_PATH}/NoSuchEvt01`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message, ...(errorCode ? { errorCode } : {}) });
  });

  it('§2.1 2.42 removed /api/events; 2.35 has it', async () => {
    const gone = await emulator({ dhis2Version: '2.42' });
    expect((await gone.get(EVENTS_PATH)).body.message).toBe('No handler found for GET /api/events');
    const old = await emulator({ dhis2Version: '2.35' });
    expect((await old.get(EVENTS_PATH)).status).toBe(200);
  });
});
