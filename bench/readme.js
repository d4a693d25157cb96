#!/usr/bin/env node
// `npm run bench:readme [RESULTS.json] [PAGE.md]`: copies the tables of a bench run (by default
// bench/results/latest.json, written by `npm run bench`) into docs/benchmarks.md (or PAGE.md), between the
// `bench:results` markers, and changes nothing else. `npm run bench` itself never touches a
// tracked file; refreshing the README is this explicit step.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';
const [resultsPath = fileURLToPath(new URL('results/latest.json', import.meta.url)), readmePath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url))] = process.argv.slice(2);

function fail(message) {
  process.stderr.write(`bench:readme: ${message}\n`);
  process.exit(2);
}

let results;
try {
  results = JSON.parse(readFileSync(resultsPath, 'utf8'));
} catch (e) {
  fail(`no bench results at ${resultsPath} (${e.code ?? e.message}): run \`npm run bench\` first, which writes bench/results/latest.json.`);
}
if (typeof results.markdown !== 'string' || !results.machine?.summary) fail(`${resultsPath} holds no bench tables: run \`npm run bench\` again.`);

const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) fail(`${readmePath} has no ${START} … ${END} section to fill.`);

const day = String(results.startedAt ?? '').slice(0, 10);
const footer = `${results.machine.summary}; ${Number(results.durationS ?? 0).toFixed(0)} s in all (${day}). Raw figures: \`bench/results/latest.json\` (not tracked; \`npm run bench\` writes it).`;
const updated = `${readme.slice(0, start)}${START}\n${results.markdown}\n\n${footer}\n${readme.slice(end)}`;
writeFileSync(readmePath, updated);
process.stdout.write(`bench:readme: ${readmePath} updated from ${resultsPath}\n`);
