import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { Dhis2Client } from '../client/index.js';
import { upsertMany } from '../upsert/index.js';
import { CliUsageError, parseIntOption } from './options.js';
import { Progress } from './progress.js';
import { EXIT } from './usage.js';
import { loadMapping, readCsv, readNdjson, type RecordProblem } from './records-file.js';

export const UPSERT_HELP = `
Credentials come from the environment, so they stay out of shell history and process lists:
  DHIS2_BASE_URL                  the server, e.g. https://dhis2.example.org (or --url)
  DHIS2_USERNAME, DHIS2_PASSWORD  a user allowed to search and write tracked entities
  DHIS2_TOKEN                     or a personal access token (d2pat_…, DHIS2 2.37+); wins when set

Records:
  .ndjson  one record per line:
           {"trackedEntityType":"UID","orgUnit":"UID","matchAttribute":"UID","attributes":[{"attribute":"UID","value":"…"}]}
  .csv     a header row, and --mapping FILE to turn each row into such a record:
           {"trackedEntityType":"UID","matchAttribute":"UID","orgUnit":"UID","columns":{"csv column":"attribute UID"}}
           ("orgUnitColumn":"csv column" instead of "orgUnit" takes each row's org unit from a column)

Records that fail go to the failures file (--failures, NDJSON {"line","error","input"}); fix them and
run the file again: upserts are idempotent, records already in DHIS2 come back "unchanged".

Exit codes: 0 every record upserted, 1 some records failed, 2 usage or configuration error.
`;

/** `dhis2-harness upsert --file records.ndjson`: the robust core against a real DHIS2. */
export function registerUpsert(program: Command, setExit: (code: number) => void): void {
  program
    .command('upsert')
    .description('Upsert tracked entities from an NDJSON or CSV file with the robust core (no duplicates, retries safe).')
    .addHelpText('after', UPSERT_HELP)
    .requiredOption('--file <file>', 'records: .ndjson (one record per line) or .csv (with --mapping)')
    .option('--format <format>', 'ndjson | csv (default: from the file extension)')
    .option('--mapping <file>', 'CSV only: {"trackedEntityType","matchAttribute","orgUnit"|"orgUnitColumn","columns":{"column":"attribute UID"}}')
    .option('--url <url>', 'DHIS2 base URL (default: $DHIS2_BASE_URL)')
    .option('--api <api>', 'legacy | tracker | auto (by detected version)', 'auto')
    .option('--concurrency <n>', 'requests in flight at once', '4')
    .option('--batch-size <n>', 'entities per import request', '50')
    .option('--failures <file>', 'where failed records go (NDJSON)', 'upsert-failures.ndjson')
    .option('--results <file>', 'write one NDJSON line per record: {"line","ok","uid","action"} or {"line","ok":false,"error"}')
    .option('--no-progress', 'no progress on stderr')
    .action(async (opts) => {
      const url = opts.url ?? process.env.DHIS2_BASE_URL;
      if (!url) throw new CliUsageError('Give the DHIS2 base URL with --url or DHIS2_BASE_URL.');
      const auth = process.env.DHIS2_TOKEN
        ? { token: process.env.DHIS2_TOKEN }
        : process.env.DHIS2_USERNAME && process.env.DHIS2_PASSWORD
          ? { username: process.env.DHIS2_USERNAME, password: process.env.DHIS2_PASSWORD }
          : undefined;
      if (!auth) throw new CliUsageError('Set DHIS2_USERNAME and DHIS2_PASSWORD (or DHIS2_TOKEN for a personal access token).');
      const format = opts.format ?? (extname(opts.file).toLowerCase() === '.csv' ? 'csv' : 'ndjson');
      if (format !== 'csv' && format !== 'ndjson') throw new CliUsageError(`--format must be ndjson or csv, got '${format}'.`);
      if (opts.api !== 'legacy' && opts.api !== 'tracker' && opts.api !== 'auto') throw new CliUsageError(`--api must be legacy, tracker or auto, got '${opts.api}'.`);
      let text: string;
      try {
        text = await readFile(opts.file, 'utf8');
      } catch (e) {
        throw new CliUsageError(`Cannot read ${opts.file}: ${(e as Error).message}`);
      }
      if (format === 'csv' && !opts.mapping) throw new CliUsageError('A CSV file needs --mapping FILE (columns → attribute UIDs).');
      const { records, problems } = format === 'csv' ? readCsv(text, await loadMapping(opts.mapping)) : readNdjson(text);

      const client = new Dhis2Client({ baseUrl: url, auth });
      const progress = new Progress({ command: 'upsert', unit: 'records', total: records.length, quiet: !opts.progress });
      const started = Date.now();
      try {
        const result = await upsertMany(client, records.map((r) => r.record), {
          api: opts.api,
          concurrency: parseIntOption(opts.concurrency, '--concurrency'),
          batchSize: parseIntOption(opts.batchSize, '--batch-size'),
          onProgress: (p) => progress.update(p.done, `${p.created} created, ${p.updated} updated, ${p.unchanged} unchanged, ${p.failed} failed`),
        });
        progress.stop();
        const failures: RecordProblem[] = [...problems];
        for (const item of result.results) {
          if (!item.ok) failures.push({ line: records[item.index].line, error: `${(item.error as { code?: string }).code ?? item.error.name}: ${item.error.message}`, input: records[item.index].record });
        }
        const c = result.counts;
        const seconds = (Date.now() - started) / 1000;
        process.stdout.write(
          `${pc.bold('upsert')} ${records.length + problems.length} records in ${seconds.toFixed(1)} s: ` +
            `${pc.green(`${c.created} created`)}, ${c.updated} updated, ${c.unchanged} unchanged, ` +
            `${failures.length ? pc.red(`${failures.length} failed`) : '0 failed'}; ${result.requests} HTTP requests ` +
            `(${(result.requests / Math.max(records.length, 1)).toFixed(3)} per record)\n`,
        );
        if (opts.results) {
          const lines = [
            ...problems.map((p) => ({ line: p.line, ok: false, error: p.error })),
            ...result.results.map((item) => {
              const line = records[item.index].line;
              return item.ok ? { line, ok: true, uid: item.uid, action: item.action } : { line, ok: false, error: `${(item.error as { code?: string }).code ?? item.error.name}: ${item.error.message}` };
            }),
          ].sort((a, b) => a.line - b.line);
          await writeFile(opts.results, lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
        }
        if (failures.length > 0) {
          await writeFile(opts.failures, failures.map((f) => JSON.stringify(f)).join('\n') + '\n');
          process.stdout.write(`failed records written to ${opts.failures}\n`);
        }
        setExit(failures.length > 0 ? EXIT.findings : EXIT.pass);
      } finally {
        progress.stop();
        await client.close();
      }
    });
}
