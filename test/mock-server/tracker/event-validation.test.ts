/**
 * Event error codes per release (§3.5). Sources: tracker/validation/validator/event/*Validator.java
 * (2.40: Existence, MandatoryFields, Meta, UpdatableFields, DataRelations, SecurityOwnership, Date,
 * DataValues, RepeatedEvents), the 2.36–2.39 hooks (PreCheck*, EventDate, EventDataValues,
 * RepeatedEvents), wording from TrackerErrorCode.java (2.38/2.39), ValidationCode.java (2.40) and a
 * later imports/validation/ValidationCode.java (2.42.1+).
 */
import { describe, expect, it } from 'vitest';
import { BO_CLERK } from '../helpers.js';
import { ADMIN_ID, BO_CLERK_ID, codes, DE, enr, enrolledTe, ev, OU, PROGRAM, PS, sync, te, TB, U, V, withVersion, type Emu } from './fixtures.js';

type Arrange = (e: Emu) => Promise<unknown>;
const enrolled: Arrange = (e) => sync(e, enrolledTe());
const withEvent = (extra: Record<string, unknown> = {}): Arrange => (e) => sync(e, enrolledTe([ev(V.ev1, extra)]));
const flat = (extra: Record<string, unknown> = {}) => ({ events: [ev(V.ev1, { enrollment: U.en1, ...extra })] });

interface Case {
  name: string;
  version: string;
  arrange: Arrange;
  body: unknown;
  query?: string;
  auth?: string;
  codes: string[];
  message?: string;
}

const cases: Case[] = [
  { name: 'E1030 CREATE of an existing event', version: '2.41', arrange: withEvent(), body: flat(), query: 'importStrategy=CREATE', codes: ['E1030'], message: `Event: \`${V.ev1}\`, already exists.` },
  { name: 'E1030 wording from 2.42.1', version: '2.42', arrange: withEvent(), body: flat(), query: 'importStrategy=CREATE', codes: ['E1030'], message: `Event: \`${V.ev1}\` already exists.` },
  { name: 'E1032 UPDATE of an unknown event', version: '2.40', arrange: enrolled, body: flat(), query: 'importStrategy=UPDATE', codes: ['E1032'], message: `Event: \`${V.ev1}\`, do not exist.` },
  {
    name: 'E1082 any change to a soft-deleted event', version: '2.41',
    arrange: async (e) => { await withEvent()(e); await sync(e, { events: [{ event: V.ev1 }] }, 'importStrategy=DELETE'); },
    body: flat(), codes: ['E1082'], message: `Event: \`${V.ev1}\`, is already deleted and cannot be modified.`,
  },
  { name: 'E1123 orgUnit missing', version: '2.40', arrange: enrolled, body: flat({ orgUnit: undefined }), codes: ['E1123'], message: 'Missing required event property: `orgUnit`.' },
  { name: 'E1123 programStage and program missing', version: '2.41', arrange: enrolled, body: flat({ programStage: undefined }), codes: ['E1123', 'E1123'] },
  { name: 'E1011 unknown org unit', version: '2.39', arrange: enrolled, body: flat({ orgUnit: 'NoSuchOu001' }), codes: ['E1011'], message: 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.' },
  { name: 'E1013 unknown stage (and E1010: no program to derive)', version: '2.41', arrange: enrolled, body: flat({ programStage: 'NoSuchPs001', program: 'NoSuchPrg01' }), codes: ['E1010', 'E1013'] },
  { name: 'E1089 the stage belongs to another program', version: '2.40', arrange: enrolled, body: flat({ program: PROGRAM, programStage: PS.tbVisit, dataValues: [] }), codes: ['E1089'], message: `Event: \`${V.ev1}\`, references a Program Stage \`${PS.tbVisit}\` that does not belong to Program \`${PROGRAM}\`.` },
  { name: 'E1033 a registration program event without an enrollment', version: '2.41', arrange: enrolled, body: { events: [ev(V.ev1)] }, codes: ['E1033'], message: `Event: \`${V.ev1}\`, Enrollment value is null.` },
  { name: 'E1079 the enrollment is in another program', version: '2.41', arrange: enrolled, body: flat({ programStage: PS.tbVisit, dataValues: [] }), codes: ['E1079'], message: `Event: \`${V.ev1}\`, program: \`${TB}\` is different from program defined in enrollment \`${U.en1}\`.` },
  { name: 'E1079 an enrollment that exists nowhere', version: '2.40', arrange: enrolled, body: flat({ enrollment: V.en3 }), codes: ['E1079'] },
  { name: 'E1029 org unit not in the program (MessageFormat drops the apostrophe)', version: '2.41', arrange: enrolled, body: flat({ orgUnit: OU.bo }), codes: ['E1029'], message: `Event OrganisationUnit: \`${OU.bo}\`, and Program: \`${PROGRAM}\`, dont match.` },
  { name: 'E1029 wording from 2.42.1', version: '2.42', arrange: enrolled, body: flat({ orgUnit: OU.bo }), codes: ['E1029'], message: `Event OrganisationUnit: \`${OU.bo}\` and Program: \`${PROGRAM}\`, do not match.` },
  {
    name: 'E1000 reported twice for an event outside the capture scope (capture check + write-access check, SecurityOwnershipValidator 2.40)', version: '2.40',
    arrange: (e) => sync(e, enrolledTe([], { orgUnit: OU.kamaranka })), auth: BO_CLERK, body: flat({ orgUnit: OU.kamaranka }), codes: ['E1000', 'E1000'],
    message: `User: \`${BO_CLERK_ID}\`, has no write access to OrganisationUnit: \`${OU.kamaranka}\`.`,
  },
  {
    name: 'E1102 an event at the user\'s facility for an entity owned outside the search scope', version: '2.41',
    arrange: (e) => sync(e, { trackedEntities: [te(U.a, [], { orgUnit: OU.kamaranka, enrollments: [enr(U.en1, { orgUnit: OU.kamaranka })] })] }),
    auth: BO_CLERK, body: flat(), codes: ['E1102'],
    message: `User: \`${BO_CLERK_ID}\`, does not have access to the tracked entity: \`${U.a}\`, Program: \`${PROGRAM}\`, combination.`,
  },
  { name: 'E1031 an ACTIVE event without occurredAt', version: '2.41', arrange: enrolled, body: flat({ occurredAt: undefined }), codes: ['E1031'], message: 'Event OccurredAt date is missing.' },
  { name: 'E1050 a SCHEDULE event without scheduledAt', version: '2.40', arrange: enrolled, body: flat({ status: 'SCHEDULE', occurredAt: undefined }), codes: ['E1050'], message: 'Event ScheduledAt date is missing.' },
  { name: 'E1304 + E1305 an unknown data element', version: '2.41', arrange: enrolled, body: flat({ dataValues: [{ dataElement: DE.infantWeight, value: '1' }, { dataElement: 'NoSuchDe001', value: '1' }] }), codes: ['E1304', 'E1305'], message: 'DataElement `NoSuchDe001` is not a valid data element' },
  { name: 'E1302 a value its type refuses (ValidationUtils key)', version: '2.41', arrange: enrolled, body: flat({ dataValues: [{ dataElement: DE.infantWeight, value: '-5' }] }), codes: ['E1302'], message: `DataElement \`${DE.infantWeight}\` is not valid: \`value_not_positive_integer\`` },
  { name: 'E1302 wording from 2.42.1', version: '2.42', arrange: enrolled, body: flat({ dataValues: [{ dataElement: DE.infantWeight, value: 'x' }] }), codes: ['E1302'], message: `DataElement \`${DE.infantWeight}\` is not valid: \`value_not_positive_integer\`.` },
  { name: 'E1125 an option not in the set (2.40 wording)', version: '2.40', arrange: enrolled, body: flat({ dataValues: [{ dataElement: DE.infantWeight, value: '1' }, { dataElement: DE.infantFeeding, value: 'Formula' }] }), codes: ['E1125'], message: `Value Formula is not a valid option for ${DE.infantFeeding} DataElement in option set Exclusive,Mixed,Replacement` },
  { name: 'E1076 a compulsory value sent blank (ON_UPDATE_AND_INSERT stage)', version: '2.41', arrange: enrolled, body: flat({ dataValues: [{ dataElement: DE.infantWeight, value: null }] }), codes: ['E1076'], message: `\`DataElement\` \`${DE.infantWeight}\` is mandatory and cannot be null` },
  { name: 'E1303 a compulsory value missing from a COMPLETED Birth event (ON_COMPLETE)', version: '2.41', arrange: enrolled, body: flat({ programStage: PS.birth, status: 'COMPLETED', dataValues: [] }), codes: ['E1303'], message: `Mandatory DataElement \`${DE.birthWeight}\` is not present` },
  { name: 'E1305 a data element of another stage', version: '2.40', arrange: enrolled, body: flat({ dataValues: [{ dataElement: DE.infantWeight, value: '1' }, { dataElement: DE.apgarScore, value: '7' }] }), codes: ['E1305'], message: `DataElement \`${DE.apgarScore}\` is not part of \`${PS.babyPostnatal}\` program stage` },
  { name: 'E1039 a second Birth event in the enrollment (non-repeatable stage)', version: '2.41', arrange: withEvent({ programStage: PS.birth, dataValues: [] }), body: { events: [ev(V.ev2, { enrollment: U.en1, programStage: PS.birth, dataValues: [] })] }, codes: ['E1039'], message: `ProgramStage: \`${PS.birth}\`, is not repeatable and an event already exists.` },
  { name: 'E1039 two Birth events in one payload: both', version: '2.40', arrange: enrolled, body: { events: [ev(V.ev1, { enrollment: U.en1, programStage: PS.birth, dataValues: [] }), ev(V.ev2, { enrollment: U.en1, programStage: PS.birth, dataValues: [] })] }, codes: ['E1039', 'E1039'] },
  { name: 'E1128 the stage of a stored event cannot change', version: '2.41', arrange: withEvent(), body: flat({ programStage: PS.birth, dataValues: [] }), codes: ['E1128'], message: 'Not allowed to update Event property: programStage.' },
  {
    name: 'E1083 a non-super user un-completes a COMPLETED event', version: '2.39', auth: BO_CLERK,
    arrange: withEvent({ status: 'COMPLETED' }), body: flat({ status: 'ACTIVE' }), codes: ['E1083'], message: `User: \`${BO_CLERK_ID}\`, is not authorized to modify completed events.`,
  },
];

describe('tracker event validation codes by version (§3.5)', () => {
  it.each(cases.map((c) => [`§3.5 ${c.name} (${c.version})`, c] as const))('%s', async (_name, c) => {
    const e = await withVersion(c.version);
    await c.arrange(e);
    const before = e.mock.events.get(V.ev1) ?? null;
    const r = await sync(e, c.body, c.query, c.auth);
    expect(r.status).toBe(409);
    expect(codes(r.body)).toEqual(c.codes);
    expect(r.body.validationReport.errorReports.every((x: { trackerType: string }) => x.trackerType === 'EVENT')).toBe(true);
    if (c.message) expect(r.body.validationReport.errorReports[0].message).toBe(c.message);
    expect(e.mock.events.get(V.ev1) ?? null).toEqual(before);
    expect(e.mock.events.has(V.ev2)).toBe(false);
  });

  it('§3.5 the user in E1000 is the user UID, never the admin', async () => {
    const e = await withVersion('2.41');
    await sync(e, enrolledTe([], { orgUnit: OU.kamaranka }));
    const r = await sync(e, flat({ orgUnit: OU.kamaranka }), '', BO_CLERK);
    expect(r.body.validationReport.errorReports[0].message).not.toContain(ADMIN_ID);
  });
});
