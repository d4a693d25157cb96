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

/** NDJSON: one interfaces.md record per line; blank lines skipped but counted, a UTF-8 BOM ignored. */
export function readNdjson(text: string): { records: { line: number; record: UpsertRecord }[]; problems: RecordProblem[] } {
  const records: { line: number; record: UpsertRecord }[] = [];
  const problems: RecordProblem[] = [];
  // a JSON text never holds a raw CR or LF, so every one of them (CRLF, LF, a lone CR) ends a line
  stripBom(text).split(/\r\n|\r|\n/).forEach((rawLine, i) => {
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

/**
 * CSV with a header row; each row becomes a record through the mapping. Empty cells are omitted.
 * The mapping is checked against the header once, before any row. A record's line is the physical
 * line its first field starts on (empty lines and multi-line quoted fields counted).
 */
export function readCsv(text: string, mapping: CsvMapping): { records: { line: number; record: UpsertRecord }[]; problems: RecordProblem[] } {
  const bytes = Buffer.from(stripBom(text), 'utf8');
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parseCsv(bytes, { skip_empty_lines: true, trim: true, info: true }) as unknown as typeof parsed;
  } catch (e) {
    throw new CliUsageError(`The CSV file could not be parsed: ${(e as Error).message}`);
  }
  if (parsed.length === 0) return { records: [], problems: [] };
  const header = parsed[0].record;
  checkMapping(mapping, header);
  const lines = new LineIndex(bytes);
  const records: { line: number; record: UpsertRecord }[] = [];
  const problems: RecordProblem[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const row = Object.fromEntries(header.map((column, c) => [column, parsed[i].record[c] ?? '']));
    // csv-parse reports where each record ended: the next one starts after that, past empty lines
    const line = lines.firstContentLineFrom(parsed[i - 1].info.bytes);
    const input = {
      trackedEntityType: mapping.trackedEntityType,
      orgUnit: mapping.orgUnit ?? row[mapping.orgUnitColumn!],
      matchAttribute: mapping.matchAttribute,
      attributes: Object.entries(mapping.columns)
        .filter(([column]) => (row[column] ?? '') !== '')
        .map(([column, attribute]) => ({ attribute, value: row[column] })),
    };
    try {
      records.push({ line, record: parseRecord(input) });
    } catch (e) {
      problems.push({ line, error: describeProblem(e), input: row });
    }
  }
  return { records, problems };
}

/** Everything that would make every row fail (or be read wrongly), said once, before any row. */
function checkMapping(mapping: CsvMapping, header: string[]): void {
  const found = `Columns found: ${header.join(', ')}.`;
  const twice = header.filter((c, i) => header.indexOf(c) !== i);
  if (twice.length > 0) throw new CliUsageError(`The CSV header names a column twice: ${[...new Set(twice)].join(', ')}. Rename one so each column is unambiguous.`);
  const missing = Object.keys(mapping.columns).filter((c) => !header.includes(c));
  if (missing.length > 0) throw new CliUsageError(`The mapping names CSV columns that the file lacks: ${missing.join(', ')}. ${found}`);
  if (mapping.orgUnitColumn !== undefined && !header.includes(mapping.orgUnitColumn)) {
    throw new CliUsageError(`The mapping's orgUnitColumn ${mapping.orgUnitColumn} is not a column of the file. ${found}`);
  }
  if (!Object.values(mapping.columns).includes(mapping.matchAttribute)) {
    throw new CliUsageError(`No column maps to the matchAttribute ${mapping.matchAttribute}: add "<key column>": "${mapping.matchAttribute}" to the mapping's columns.`);
  }
  const byAttribute = new Map<string, string[]>();
  for (const [column, attribute] of Object.entries(mapping.columns)) byAttribute.set(attribute, [...(byAttribute.get(attribute) ?? []), column]);
  for (const [attribute, columns] of byAttribute) {
    if (columns.length > 1) throw new CliUsageError(`The mapping's columns ${columns.join(', ')} all map to attribute ${attribute}: map each attribute from one column.`);
  }
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Physical line numbers of byte offsets: CRLF, LF and a lone CR each end a line. Offsets are asked
 * in increasing order, so it counts on from where it stopped (linear in the file).
 */
class LineIndex {
  private at = 0;
  private line = 1;

  constructor(private readonly bytes: Buffer) {}

  /** The line of the first byte at or after `offset` that is not a line break. */
  firstContentLineFrom(offset: number): number {
    let target = offset;
    while (target < this.bytes.length && (this.bytes[target] === 0x0a || this.bytes[target] === 0x0d)) target++;
    for (; this.at < target; this.at++) {
      const b = this.bytes[this.at];
      if (b === 0x0a || (b === 0x0d && this.bytes[this.at + 1] !== 0x0a)) this.line++;
    }
    return this.line;
  }
}
