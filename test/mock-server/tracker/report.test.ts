import { describe, expect, it } from 'vitest';
import { javaMessageFormat, trackerMessage, trackerTemplate } from '../../../mock-server/dhis2/tracker/messages.js';
import { Dhis2Version } from '../../../mock-server/dhis2/versions.js';
import { A, nid, sync, te, U, withVersion } from './fixtures.js';

const v = (s: string) => Dhis2Version.parse(s);

describe('ImportReport shape by version (§3.6)', () => {
  it.each([
    ['2.36', ['stats', 'status', 'typeReportMap'], true],
    ['2.39', ['stats', 'status', 'typeReportMap'], true],
    ['2.40', ['empty', 'typeReportMap'], true],
    ['2.41', ['typeReportMap'], false],
    ['2.42', ['typeReportMap'], false],
  ])('§3.6 %s bundleReport keys %j, object report index: %s', async (version, keys, index) => {
    const e = await withVersion(version);
    const r = await sync(e, { trackedEntities: [te(U.a)] });
    expect(Object.keys(r.body)).toEqual(['status', 'validationReport', 'stats', 'bundleReport']);
    expect(Object.keys(r.body.bundleReport).sort()).toEqual(keys);
    expect(Object.keys(r.body.bundleReport.typeReportMap)).toEqual(['TRACKED_ENTITY', 'ENROLLMENT', 'EVENT', 'RELATIONSHIP']);
    const report = r.body.bundleReport.typeReportMap.TRACKED_ENTITY;
    expect(report).toMatchObject({ trackerType: 'TRACKED_ENTITY', stats: { created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 } });
    expect(report.objectReports[0]).toEqual(index
      ? { trackerType: 'TRACKED_ENTITY', uid: U.a, index: 0, errorReports: [] }
      : { trackerType: 'TRACKED_ENTITY', uid: U.a, errorReports: [] });
  });

  it.each([
    ['2.40', ['errorCode', 'message', 'trackerType', 'uid']],
    ['2.41', ['args', 'errorCode', 'message', 'trackerType', 'uid']],
  ])('§3.6 %s error entry keys %j', async (version, keys) => {
    const e = await withVersion(version);
    await sync(e, { trackedEntities: [te(U.a, [nid('ABC-1')])] });
    const r = await sync(e, { trackedEntities: [te(U.b, [nid('ABC-1')])] });
    const entry = r.body.validationReport.errorReports[0];
    expect(Object.keys(entry).sort()).toEqual(keys);
    if (version === '2.41') expect(entry.args).toEqual(['ABC-1', A.nationalId]);
  });

  it('§3.6 the duplicate-create example: 409, one error, ignored 1, no bundleReport', async () => {
    const e = await withVersion('2.41');
    await sync(e, { trackedEntities: [te(U.a)] });
    const r = await sync(e, { trackedEntities: [te(U.a)] }, 'importStrategy=CREATE');
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      status: 'ERROR',
      validationReport: {
        errorReports: [{ message: `TrackedEntity: \`${U.a}\`, already exists.`, errorCode: 'E1002', trackerType: 'TRACKED_ENTITY', uid: U.a, args: [U.a] }],
        warningReports: [],
      },
      stats: { created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 },
    });
  });

  it('§3.6 atomicMode=OBJECT: stats.ignored counts the errors, the type report the objects', async () => {
    const e = await withVersion('2.40');
    const bad = te(U.b, [{ attribute: A.weight, value: 'abc' }, { attribute: A.gender, value: 'Mle' }]);
    const r = await sync(e, { trackedEntities: [te(U.a), bad] }, 'atomicMode=OBJECT');
    expect(r.body.validationReport.errorReports).toHaveLength(3);
    expect(r.body.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 3, total: 4 });
    expect(r.body.bundleReport.typeReportMap.TRACKED_ENTITY.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 1, total: 2 });
    expect(r.body.bundleReport.typeReportMap.TRACKED_ENTITY.objectReports.map((o: { uid: string; index: number }) => [o.uid, o.index])).toEqual([[U.a, 0]]);
  });
});

describe('messages (§3.5)', () => {
  it.each([
    ['§3.5 placeholders', 'A `{0}` b {1}', ['x', 'y'], 'A `x` b y'],
    ['§3.5 a quoted section is literal and the quotes vanish', "lacking 'F_X' authority {0}", ['u'], 'lacking F_X authority u'],
    ['§3.5 an unclosed quote makes the rest literal', "can't {0}", ['u'], 'cant {0}'],
    ['§3.5 two apostrophes are one', "it''s {0}", ['u'], "it's u"],
    ['§3.5 a missing argument stays a placeholder', '{0} {1}', ['a'], 'a {1}'],
  ])('%s', (_name, template, args, expected) => {
    expect(javaMessageFormat(template, args)).toBe(expected);
  });

  it.each([
    ['E1002', '2.40', 'TrackedEntityInstance: `{0}`, already exists.'],
    ['E1002', '2.41', 'TrackedEntity: `{0}`, already exists.'],
    ['E1063', '2.41.0', 'TrackedEntity: `{0}`, does not exist.'],
    ['E1064', '2.42.0', 'Non-unique attribute value `{0}` for attribute `{1}`'],
    ['E1064', '2.42.1', 'Non-unique attribute value `{0}` for attribute `{1}`.'],
    ['E1114', '2.36', "TrackedEntity: `{0}`, is already deleted and can't be modified."],
    ['E1121', '2.39', 'Missing required tracked entity property: `{0}`.'],
    ['E1121', '2.40', 'Missing required trackedEntity property: `{0}`.'],
    ['E1000', '2.42.0', 'User: `{0}` has no capture scope access to OrganisationUnit: `{1}`.'],
  ])('§3.5 %s template in %s', (code, version, template) => {
    expect(trackerTemplate(v(version), code as never)).toBe(template);
  });

  it('§3.5 E1090 names attribute, type and entity', () => {
    expect(trackerMessage(v('2.41'), 'E1090', ['a', 't', 'e'])).toBe('Attribute: `a`, is mandatory in tracked entity type `t` but not declared in tracked entity `e`.');
  });
});
