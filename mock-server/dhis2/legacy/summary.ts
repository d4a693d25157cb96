/** Legacy ImportSummary / ImportSummaries (dxf2/importsummary/*, spec §2.4 "Response"). */
export interface ImportConflict {
  object?: string;
  value: string;
}

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

export interface ImportSummary {
  responseType: 'ImportSummary';
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  importOptions?: unknown;
  description?: string;
  importCount: ImportCount;
  conflicts: ImportConflict[];
  rejectedIndexes?: number[];
  reference?: string;
  href?: string;
  enrollments?: ImportSummaries;
  /** an enrollment's summary: the summaries of the events imported with it */
  events?: ImportSummaries;
  relationships?: ImportSummaries;
}

export interface ImportSummaries {
  responseType: 'ImportSummaries';
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  imported: number;
  updated: number;
  deleted: number;
  ignored: number;
  importOptions?: unknown;
  importSummaries: ImportSummary[];
  total: number;
}

export const zeroCount = (): ImportCount => ({ imported: 0, updated: 0, ignored: 0, deleted: 0 });

export function summary(
  status: ImportSummary['status'],
  count: Partial<ImportCount>,
  extra: Partial<Omit<ImportSummary, 'responseType' | 'status' | 'importCount'>> = {},
): ImportSummary {
  return {
    responseType: 'ImportSummary',
    status,
    ...(extra.importOptions !== undefined ? { importOptions: extra.importOptions } : {}),
    ...(extra.description !== undefined ? { description: extra.description } : {}),
    importCount: { ...zeroCount(), ...count },
    conflicts: extra.conflicts ?? [],
    ...(extra.rejectedIndexes ? { rejectedIndexes: extra.rejectedIndexes } : {}),
    ...(extra.reference !== undefined ? { reference: extra.reference } : {}),
    ...(extra.href !== undefined ? { href: extra.href } : {}),
    ...(extra.enrollments ? { enrollments: extra.enrollments } : {}),
    ...(extra.events ? { events: extra.events } : {}),
    ...(extra.relationships ? { relationships: extra.relationships } : {}),
  };
}

export function summaries(items: ImportSummary[], importOptions?: unknown): ImportSummaries {
  const count = zeroCount();
  for (const s of items) {
    count.imported += s.importCount.imported;
    count.updated += s.importCount.updated;
    count.deleted += s.importCount.deleted;
    count.ignored += s.importCount.ignored;
  }
  const status = items.some((s) => s.status === 'ERROR') ? 'ERROR' : items.some((s) => s.status === 'WARNING') ? 'WARNING' : 'SUCCESS';
  return {
    responseType: 'ImportSummaries',
    status,
    ...count,
    ...(importOptions !== undefined ? { importOptions } : {}),
    importSummaries: items,
    total: count.imported + count.updated + count.deleted + count.ignored,
  };
}

/** The WebMessage status and text for an import result (spec §2.4: any ERROR → 409). */
export function importOutcome(status: ImportSummaries['status']): { http: number; status: 'OK' | 'WARNING' | 'ERROR'; message: string } {
  if (status === 'ERROR') return { http: 409, status: 'ERROR', message: 'An error occurred, please check import summary.' };
  if (status === 'WARNING') return { http: 409, status: 'WARNING', message: 'One or more conflicts encountered, please check import summary.' };
  return { http: 200, status: 'OK', message: 'Import was successful.' };
}
