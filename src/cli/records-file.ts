import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { parseRecord, type UpsertRecord } from '../upsert/index.js';
import { CliUsageError } from './options.js';

/** `INVALID_RECORD: …`, `SyntaxError: …`: the same "CODE: message" shape as a failed upsert. */
function describeProblem(e: unknown): string {
  const err = e as Error & { code?: unknown };
  return `${typeof err.code === 'string' ? err.code : err.name}: ${err.message}`;
}

/** A record the file could not provide, with where it came from. */
export interface RecordProblem {
  line: number;
  error: string;
  input: unknown;
}

const mappingSchema = z
  .object({
    trackedEntityType: z.string().min(1),
    matchAttribute: z.string().min(1),
    orgUnit: z.string().min(1).optional(),
    orgUnitColumn: z.string().min(1).optional(),
    /** CSV column → tracked entity attribute UID */
    columns: z.record(z.string(), z.string().min(1)),
  })
  .strict()
  .refine((m) => !!m.orgUnit !== !!m.orgUnitColumn, { message: 'give exactly one of orgUnit or orgUnitColumn' });

export type CsvMapping = z.infer<typeof mappingSchema>;

export async function loadMapping(file: string): Promise<CsvMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CliUsageError(`Cannot read the mapping ${file}: ${(e as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'mapping'}: ${i.message}`).join('; ');
    throw new CliUsageError(`Invalid mapping ${file} (${issues}). Expected {"trackedEntityType","matchAttribute","orgUnit"|"orgUnitColumn","columns":{"csv column":"attribute UID"}}.`);
  }
  return parsed.data;
}

/** NDJSON: one interfaces.md record per line; blank lines skipped. */
export function readNdjson(text: string): { records: { line: number; record: UpsertRecord }[]; problems: RecordProblem[] } {
  const records: { line: number; record: UpsertRecord }[] = [];
  const problems: RecordProblem[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    if (rawLine.trim() === '') return;
    let input: unknown = rawLine;
    try {
      input = JSON.parse(rawLine);
      records.push({ line: i + 1, record: parseRecord(input) });
    } catch (e) {
      problems.push({ line: i + 1, error: describeProblem(e), input });
    }
  });
  return { records, problems };
}

/** CSV with a header row; each row becomes a record through the mapping. Empty cells are omitted. */
export function readCsv(text: string, mapping: CsvMapping): { records: { line: number; record: UpsertRecord }[]; problems: RecordProblem[] } {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw new CliUsageError(`The CSV file could not be parsed: ${(e as Error).message}`);
  }
  const header = rows.length > 0 ? Object.keys(rows[0]) : [];
  const missing = Object.keys(mapping.columns).filter((c) => !header.includes(c));
  if (rows.length > 0 && missing.length > 0) throw new CliUsageError(`The mapping names CSV columns that the file lacks: ${missing.join(', ')}. Columns found: ${header.join(', ')}.`);
  const records: { line: number; record: UpsertRecord }[] = [];
  const problems: RecordProblem[] = [];
  rows.forEach((row, i) => {
    const input = {
      trackedEntityType: mapping.trackedEntityType,
      orgUnit: mapping.orgUnit ?? row[mapping.orgUnitColumn!],
      matchAttribute: mapping.matchAttribute,
      attributes: Object.entries(mapping.columns)
        .filter(([column]) => (row[column] ?? '') !== '')
        .map(([column, attribute]) => ({ attribute, value: row[column] })),
    };
    try {
      records.push({ line: i + 2, record: parseRecord(input) });
    } catch (e) {
      problems.push({ line: i + 2, error: describeProblem(e), input: row });
    }
  });
  return { records, problems };
}
