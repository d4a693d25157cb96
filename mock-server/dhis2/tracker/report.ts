import type { Dhis2Version } from '../versions.js';
import type { TrackerImportResult, TypeCounts } from './import.js';
import { trackerMessage } from './messages.js';
import type { ReportMode } from './params.js';
import { TRACKER_TYPES, type TrackerError, type TrackerType } from './types.js';

interface Stats extends TypeCounts {
  ignored: number;
  total: number;
}

const stats = (c: TypeCounts, ignored: number): Stats => ({ ...c, ignored, total: c.created + c.updated + c.deleted + ignored });

/** One entry of `validationReport.errorReports` (TrackerErrorReport ≤2.40, Error 2.41+ adds `args`). */
export function errorEntry(version: Dhis2Version, e: TrackerError): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    message: trackerMessage(version, e.code, e.args),
    errorCode: e.code,
    trackerType: e.trackerType,
    uid: e.uid,
  };
  if (version.atLeast('2.41')) entry.args = e.args;
  return entry;
}

/**
 * The ImportReport a sync import returns and the job report endpoint serves (spec §3.6), shaped
 * for the version: TrackerImportReport (2.36–2.39), ImportReport with PersistenceReport (2.40),
 * imports/report/ImportReport (2.41+). `reportMode` filters as DefaultTrackerImportService
 * .buildImportReport does: warnings only with WARNINGS/FULL, timingsStats only with FULL (≤2.40).
 */
export function buildImportReport(version: Dhis2Version, r: TrackerImportResult, reportMode: ReportMode): Record<string, unknown> {
  const status = r.outcome === 'completed' ? 'OK' : 'ERROR';
  const report: Record<string, unknown> = { status };
  if (r.message !== undefined) report.message = r.message;
  report.validationReport = { errorReports: r.errors.map((e) => errorEntry(version, e)), warningReports: [] };
  const totals = TRACKER_TYPES.reduce<TypeCounts>((acc, t) => ({
    created: acc.created + r.counts[t].created, updated: acc.updated + r.counts[t].updated, deleted: acc.deleted + r.counts[t].deleted,
  }), { created: 0, updated: 0, deleted: 0 });
  if (r.outcome === 'rejected') {
    // withValidationErrors: nothing committed, every object of the bundle is ignored, no bundleReport
    const size = TRACKER_TYPES.reduce((n, t) => n + r.bundleSize[t], 0);
    report.stats = stats({ created: 0, updated: 0, deleted: 0 }, size);
  } else if (r.outcome === 'exception') {
    report.stats = stats({ created: 0, updated: 0, deleted: 0 }, 0);
  } else {
    // withImportCompleted: ignored = number of validation errors + persistence-level ignored (0)
    report.stats = stats(totals, r.errors.length);
    report.bundleReport = bundleReport(version, r);
  }
  if (version.below('2.41') && reportMode === 'FULL') report.timingsStats = timings(r);
  return report;
}

function bundleReport(version: Dhis2Version, r: TrackerImportResult): Record<string, unknown> {
  const typeReportMap: Record<string, unknown> = {};
  // VALIDATE mode: the commit step returns an empty bundle report
  if (!r.validateOnly) for (const t of TRACKER_TYPES) typeReportMap[t] = typeReport(version, t, r);
  if (version.below('2.40')) {
    const s = TRACKER_TYPES.reduce<TypeCounts>((acc, t) => ({
      created: acc.created + r.counts[t].created, updated: acc.updated + r.counts[t].updated, deleted: acc.deleted + r.counts[t].deleted,
    }), { created: 0, updated: 0, deleted: 0 });
    const ignored = r.validateOnly ? 0 : TRACKER_TYPES.reduce((n, t) => n + typeIgnored(r, t), 0);
    return { status: 'OK', typeReportMap, stats: stats(s, ignored) };
  }
  if (version.below('2.41')) return { typeReportMap, empty: TRACKER_TYPES.every((t) => r.objects[t].length === 0) };
  return { typeReportMap };
}

/** processBundleReport: per type, ignored = objects of that type in the bundle − objects persisted. */
function typeIgnored(r: TrackerImportResult, t: TrackerType): number {
  const c = r.counts[t];
  return Math.max(0, r.bundleSize[t] - (c.created + c.updated + c.deleted));
}

function typeReport(version: Dhis2Version, t: TrackerType, r: TrackerImportResult): Record<string, unknown> {
  const withIndex = version.below('2.41');
  return {
    trackerType: t,
    stats: stats(r.counts[t], typeIgnored(r, t)),
    objectReports: r.objects[t].map((o) => (withIndex
      ? { trackerType: t, uid: o.uid, index: o.index, errorReports: [] }
      : { trackerType: t, uid: o.uid, errorReports: [] })),
  };
}

function timings(r: TrackerImportResult): Record<string, unknown> {
  const sec = (ms: number) => `${(ms / 1000).toFixed(3)} sec.`;
  return {
    timers: {
      preheat: sec(r.timingsMs.preheat),
      validation: sec(r.timingsMs.validation),
      commit: sec(r.timingsMs.commit),
      totalImport: sec(r.timingsMs.totalImport),
    },
  };
}

/** Sync responses: 409 when the report's status is ERROR, else 200 (TrackerImportController). */
export const reportHttpStatus = (report: Record<string, unknown>): number => (report.status === 'ERROR' ? 409 : 200);
