import { describe, it, expect } from 'vitest';
import { parseLegacyImport, parseTrackerImport } from '../../../src/client/responses.js';
import { extractConflicts } from '../../../src/client/classify.js';
import { HarnessError } from '../../../src/errors.js';

const count = (o: Partial<Record<'imported' | 'updated' | 'ignored' | 'deleted', number>>) => ({ imported: 0, updated: 0, ignored: 0, deleted: 0, ...o });

describe('parseLegacyImport', () => {
  it('reads a WebMessage wrapping ImportSummaries (POST)', () => {
    const body = {
      httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Import was successful.',
      response: { responseType: 'ImportSummaries', status: 'SUCCESS', imported: 1, updated: 1, deleted: 0, ignored: 0, total: 2,
        importOptions: { importStrategy: 'CREATE_AND_UPDATE' },
        importSummaries: [
          { responseType: 'ImportSummary', status: 'SUCCESS', importCount: count({ imported: 1 }), conflicts: [], reference: 'AAAAAAAAAAA', href: 'x', enrollments: {} },
          { responseType: 'ImportSummary', status: 'SUCCESS', importCount: count({ updated: 1 }), conflicts: [], reference: 'BBBBBBBBBBB', rejectedIndexes: [] },
        ] },
    };
    expect(parseLegacyImport(body)).toEqual({
      status: 'OK',
      summaries: [
        { status: 'SUCCESS', reference: 'AAAAAAAAAAA', conflicts: [], description: undefined, importCount: count({ imported: 1 }) },
        { status: 'SUCCESS', reference: 'BBBBBBBBBBB', conflicts: [], description: undefined, importCount: count({ updated: 1 }) },
      ],
    });
  });

  it('reads a WebMessage wrapping one ImportSummary (PUT)', () => {
    const body = { httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message: 'An error occurred, please check import summary.',
      response: { responseType: 'ImportSummary', status: 'ERROR', importCount: count({ ignored: 1 }),
        conflicts: [{ object: 'TrackedEntityInstance', value: 'You are trying to add or update tracked entity instance X that has already been deleted' }] } };
    const r = parseLegacyImport(body);
    expect(r.status).toBe('ERROR');
    expect(r.summaries).toHaveLength(1);
    expect(r.summaries[0].conflicts[0].object).toBe('TrackedEntityInstance');
  });

  it('reads the already-exists description and bare summaries', () => {
    const bare = { responseType: 'ImportSummaries', status: 'ERROR', importSummaries: [
      { status: 'ERROR', description: 'Tracked entity instance AAAAAAAAAAA already exists or was deleted earlier', reference: 'AAAAAAAAAAA', importCount: count({ ignored: 1 }) },
    ] };
    const r = parseLegacyImport(bare);
    expect(r.status).toBe('ERROR');
    expect(r.summaries[0].description).toContain('already exists');
    expect(r.summaries[0].conflicts).toEqual([]);
    expect(extractConflicts(bare)).toEqual([{ object: 'AAAAAAAAAAA', value: 'Tracked entity instance AAAAAAAAAAA already exists or was deleted earlier' }]);
  });

  it('refuses bodies that are not import summaries', () => {
    expect(() => parseLegacyImport('<html>')).toThrow(HarnessError);
    expect(() => parseLegacyImport({ message: 'x' })).toThrow(HarnessError);
  });
});

const te = (uid: string, index?: number) => ({ trackerType: 'TRACKED_ENTITY', uid, ...(index === undefined ? {} : { index }), errorReports: [] });

describe('parseTrackerImport', () => {
  it('2.36–2.39 shape (bundleReport with status and stats)', () => {
    const body = { status: 'OK', validationReport: { errorReports: [], warningReports: [] }, stats: { created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 },
      timingsStats: {}, bundleReport: { status: 'OK', stats: { created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 },
        typeReportMap: { TRACKED_ENTITY: { trackerType: 'TRACKED_ENTITY', stats: { created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 }, objectReports: [te('FkxTQC4EAKK', 0)] } } } };
    const r = parseTrackerImport(body);
    expect(r).toMatchObject({ kind: 'report', status: 'OK', errors: [], persistedUids: ['FkxTQC4EAKK'], createdUids: ['FkxTQC4EAKK'], updatedUids: [] });
  });

  it('2.40 shape (bundleReport {typeReportMap, empty}) with an update', () => {
    const body = { status: 'OK', validationReport: { errorReports: [], warningReports: [] }, stats: { created: 0, updated: 1, deleted: 0, ignored: 0, total: 1 },
      bundleReport: { empty: false, typeReportMap: { TRACKED_ENTITY: { trackerType: 'TRACKED_ENTITY', stats: { created: 0, updated: 1, deleted: 0, ignored: 0, total: 1 }, objectReports: [te('FkxTQC4EAKK', 0)] } } } };
    expect(parseTrackerImport(body)).toMatchObject({ updatedUids: ['FkxTQC4EAKK'], createdUids: [] });
  });

  it('2.41 shape, atomicMode=OBJECT partial: args on errors, mixed stats', () => {
    const body = { status: 'OK',
      validationReport: { errorReports: [{ message: 'Non-unique attribute value `X` for attribute `Y`', errorCode: 'E1064', trackerType: 'TRACKED_ENTITY', uid: 'CCCCCCCCCCC', args: ['X', 'Y'] }], warningReports: [] },
      stats: { created: 1, updated: 1, deleted: 0, ignored: 1, total: 3 },
      bundleReport: { typeReportMap: { TRACKED_ENTITY: { trackerType: 'TRACKED_ENTITY', stats: { created: 1, updated: 1, deleted: 0, ignored: 0, total: 2 }, objectReports: [te('AAAAAAAAAAA'), te('BBBBBBBBBBB')] } } } };
    const r = parseTrackerImport(body);
    if (r.kind !== 'report') throw new Error('expected report');
    expect(r.errors).toEqual([{ errorCode: 'E1064', message: 'Non-unique attribute value `X` for attribute `Y`', uid: 'CCCCCCCCCCC', trackerType: 'TRACKED_ENTITY', args: ['X', 'Y'] }]);
    expect(r.persistedUids).toEqual(['AAAAAAAAAAA', 'BBBBBBBBBBB']);
    expect(r.createdUids).toEqual([]);
    expect(r.updatedUids).toEqual([]);
    expect(r.stats.total).toBe(3);
  });

  it('atomicMode=ALL error: no bundleReport', () => {
    const body = { status: 'ERROR', validationReport: { errorReports: [{ message: 'TrackedEntity: `Q`, already exists.', errorCode: 'E1002', trackerType: 'TRACKED_ENTITY', uid: 'Qv1lzYmU2d4' }], warningReports: [] }, stats: { created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 } };
    expect(parseTrackerImport(body)).toMatchObject({ status: 'ERROR', persistedUids: [], errors: [{ errorCode: 'E1002', uid: 'Qv1lzYmU2d4' }] });
  });

  it('exception abort carries the message', () => {
    const body = { status: 'ERROR', message: 'Exception:duplicate key', validationReport: { errorReports: [], warningReports: [] }, stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 } };
    expect(parseTrackerImport(body)).toMatchObject({ status: 'ERROR', message: 'Exception:duplicate key' });
    expect(extractConflicts(body)).toEqual([{ value: 'Exception:duplicate key' }]);
  });

  it('async job acknowledgements (2.36–2.40 with responseType, 2.41 without)', () => {
    const j40 = { httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Tracker job added', response: { responseType: 'TrackerJob', id: 'JOBJOBJOB01', location: 'http://h/api/tracker/jobs/JOBJOBJOB01' } };
    const j41 = { httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Tracker job added', response: { id: 'JOBJOBJOB02', location: 'http://h/api/tracker/jobs/JOBJOBJOB02' } };
    expect(parseTrackerImport(j40)).toEqual({ kind: 'job', jobId: 'JOBJOBJOB01', location: 'http://h/api/tracker/jobs/JOBJOBJOB01' });
    expect(parseTrackerImport(j41)).toEqual({ kind: 'job', jobId: 'JOBJOBJOB02', location: 'http://h/api/tracker/jobs/JOBJOBJOB02' });
  });

  it('an ImportReport wrapped in a WebMessage', () => {
    const body = { httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', response: { status: 'ERROR', validationReport: { errorReports: [{ errorCode: 'E1064', message: 'm', uid: 'U' }] }, stats: {} } };
    expect(parseTrackerImport(body)).toMatchObject({ kind: 'report', status: 'ERROR', errors: [{ errorCode: 'E1064' }] });
  });

  it('refuses other bodies', () => {
    expect(() => parseTrackerImport({ httpStatus: 'Not Implemented', message: 'x' })).toThrow(HarnessError);
  });
});
