/**
 * Typed views of the two import-result families (spec §2.4/§2.5 and §3.6). The parsers are
 * tolerant of the version differences (extra fields, missing wrappers, renamed bundle fields)
 * and throw HarnessError only when a body matches neither family, because guessing the outcome
 * of a write from an unknown body would be unsafe.
 */
import { HarnessError } from '../errors.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

export interface LegacyConflict {
  object?: string;
  value: string;
}

export interface LegacySummary {
  /** SUCCESS, WARNING or ERROR */
  status: string;
  reference?: string;
  conflicts: LegacyConflict[];
  description?: string;
  importCount: ImportCount;
}

export interface LegacyImportResult {
  /** The outer status: WebMessage OK/WARNING/ERROR, or the ImportSummaries status when unwrapped. */
  status: string;
  summaries: LegacySummary[];
}

function parseCount(v: unknown): ImportCount {
  const c = isObj(v) ? v : {};
  return { imported: num(c.imported), updated: num(c.updated), ignored: num(c.ignored), deleted: num(c.deleted) };
}

function parseSummary(v: Obj): LegacySummary {
  const conflicts = Array.isArray(v.conflicts)
    ? v.conflicts.filter(isObj).map((c) => ({ object: str(c.object), value: str(c.value) ?? JSON.stringify(c) }))
    : [];
  return {
    status: str(v.status) ?? 'ERROR',
    reference: str(v.reference),
    conflicts,
    description: str(v.description),
    importCount: parseCount(v.importCount),
  };
}

/** True for a body that carries a legacy ImportSummary/ImportSummaries, wrapped or not. */
export function isLegacyImportBody(body: unknown): boolean {
  if (!isObj(body)) return false;
  const inner = isObj(body.response) ? body.response : body;
  return Array.isArray(inner.importSummaries) || inner.responseType === 'ImportSummary' || isObj(inner.importCount);
}

/** Parse a legacy POST/PUT/DELETE response: WebMessage → ImportSummaries | ImportSummary, or bare. */
export function parseLegacyImport(body: unknown): LegacyImportResult {
  if (!isObj(body)) throw new HarnessError(`Expected a legacy import response object, got ${typeof body}: ${String(body).slice(0, 200)}`);
  const wrapped = isObj(body.response);
  const inner = wrapped ? (body.response as Obj) : body;
  const outer = str(body.status) ?? str(inner.status) ?? 'ERROR';
  if (Array.isArray(inner.importSummaries)) {
    return { status: outer, summaries: inner.importSummaries.filter(isObj).map(parseSummary) };
  }
  if (inner.responseType === 'ImportSummary' || isObj(inner.importCount)) {
    return { status: outer, summaries: [parseSummary(inner)] };
  }
  throw new HarnessError(
    `Response is not a legacy import summary (no importSummaries/importCount): ${JSON.stringify(body).slice(0, 300)}`,
  );
}

export interface TrackerErrorEntry {
  errorCode: string;
  message: string;
  uid?: string;
  trackerType?: string;
  args?: string[];
}

export interface TrackerStats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}

export interface TrackerImportResult {
  kind: 'report';
  /** OK, WARNING or ERROR */
  status: string;
  errors: TrackerErrorEntry[];
  warnings: TrackerErrorEntry[];
  stats: TrackerStats;
  /** Tracked-entity UIDs the bundle report lists as persisted (created or updated). */
  persistedUids: string[];
  /** Filled when the per-type stats make the split unambiguous (all created, or all updated). */
  createdUids: string[];
  updatedUids: string[];
  /** Set when the server aborted with an exception (`message: "Exception:…"`). */
  message?: string;
}

export interface TrackerJobResult {
  kind: 'job';
  jobId: string;
  location?: string;
}

function parseStats(v: unknown): TrackerStats {
  const s = isObj(v) ? v : {};
  return { created: num(s.created), updated: num(s.updated), deleted: num(s.deleted), ignored: num(s.ignored), total: num(s.total) };
}

function parseErrorEntries(list: unknown, codeKey: 'errorCode' | 'warningCode'): TrackerErrorEntry[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).map((e) => ({
    errorCode: str(e[codeKey]) ?? str(e.errorCode) ?? 'UNKNOWN',
    message: str(e.message) ?? '',
    uid: str(e.uid),
    trackerType: str(e.trackerType),
    args: Array.isArray(e.args) ? e.args.map(String) : undefined,
  }));
}

/** True for a tracker ImportReport or a tracker job response, wrapped in a WebMessage or not. */
export function isTrackerImportBody(body: unknown): boolean {
  if (!isObj(body)) return false;
  const inner = isObj(body.response) ? body.response : body;
  return isObj(inner.validationReport) || isObj(inner.stats) || isObj(inner.bundleReport) || isTrackerJob(body);
}

function isTrackerJob(body: Obj): boolean {
  const r = isObj(body.response) ? body.response : undefined;
  return !!r && typeof r.id === 'string' && (r.responseType === 'TrackerJob' || typeof r.location === 'string');
}

/** Parse a `POST /api/tracker` response (sync ImportReport, job report, or async job acknowledgement). */
export function parseTrackerImport(body: unknown): TrackerImportResult | TrackerJobResult {
  if (!isObj(body)) throw new HarnessError(`Expected a tracker import response object, got ${typeof body}: ${String(body).slice(0, 200)}`);
  if (isTrackerJob(body)) {
    const r = body.response as Obj;
    return { kind: 'job', jobId: r.id as string, location: str(r.location) };
  }
  const report = isObj(body.response) && !isObj(body.validationReport) ? (body.response as Obj) : body;
  if (!isObj(report.validationReport) && !isObj(report.stats) && !isObj(report.bundleReport)) {
    throw new HarnessError(`Response is not a tracker ImportReport: ${JSON.stringify(body).slice(0, 300)}`);
  }
  const vr = isObj(report.validationReport) ? report.validationReport : {};
  const stats = parseStats(report.stats);
  const te = isObj(report.bundleReport) && isObj(report.bundleReport.typeReportMap)
    ? (report.bundleReport.typeReportMap as Obj).TRACKED_ENTITY
    : undefined;
  const persistedUids: string[] = [];
  let createdUids: string[] = [];
  let updatedUids: string[] = [];
  if (isObj(te)) {
    const errorUids = new Set(parseErrorEntries(vr.errorReports, 'errorCode').map((e) => e.uid));
    const objectReports = Array.isArray(te.objectReports) ? te.objectReports.filter(isObj) : [];
    for (const o of objectReports) {
      const uid = str(o.uid);
      const hasErrors = Array.isArray(o.errorReports) && o.errorReports.length > 0;
      if (uid && !hasErrors && !errorUids.has(uid)) persistedUids.push(uid);
    }
    const teStats = parseStats(te.stats);
    if (teStats.created === persistedUids.length && teStats.updated === 0) createdUids = [...persistedUids];
    else if (teStats.updated === persistedUids.length && teStats.created === 0) updatedUids = [...persistedUids];
  }
  return {
    kind: 'report',
    status: str(report.status) ?? 'ERROR',
    errors: parseErrorEntries(vr.errorReports, 'errorCode'),
    warnings: parseErrorEntries(vr.warningReports, 'warningCode'),
    stats,
    persistedUids,
    createdUids,
    updatedUids,
    message: str(report.message),
  };
}
