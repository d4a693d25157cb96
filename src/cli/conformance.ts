import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ALL_CASES } from '../conformance/cases/index.js';
import { describeRange } from '../conformance/release.js';
import { formatResult, formatSummary, reportJson } from '../conformance/report.js';
import { ConformanceSetupError, runConformance } from '../conformance/run.js';
import type { Targets } from '../conformance/targets.js';
import type { ConformanceCase } from '../conformance/types.js';
import { CliUsageError, parseIntOption } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function selectCases(patterns: string[] | undefined): readonly ConformanceCase[] {
  if (!patterns || patterns.length === 0) return ALL_CASES;
  const picked = ALL_CASES.filter((c) => patterns.some((p) => c.id === p || c.id.startsWith(`${p}.`) || c.id.startsWith(p)));
  if (picked.length === 0) throw new CliUsageError(`No conformance case matches ${patterns.join(', ')}: see --list.`);
  return picked;
}

function targetsFrom(opts: Record<string, string | undefined>): Partial<Targets> {
  const t: Partial<Targets> = {};
  if (opts.orgUnit) t.orgUnit = opts.orgUnit;
  if (opts.trackedEntityType) t.trackedEntityType = opts.trackedEntityType;
  if (opts.uniqueAttribute) t.uniqueAttribute = opts.uniqueAttribute;
  if (opts.nameAttribute) t.nameAttribute = opts.nameAttribute;
  if (opts.program) t.program = opts.program;
  const restricted = [opts.restrictedUsername, opts.restrictedPassword, opts.insideOrgUnit, opts.outsideOrgUnit];
  if (restricted.some(Boolean)) {
    if (!restricted.every(Boolean)) throw new CliUsageError('A restricted user needs all of --restricted-username, --restricted-password, --inside-org-unit and --outside-org-unit.');
    t.restricted = { username: opts.restrictedUsername!, password: opts.restrictedPassword!, insideOrgUnit: opts.insideOrgUnit!, outsideOrgUnit: opts.outsideOrgUnit! };
  }
  return t;
}

/**
 * `dhis2-harness conformance --url URL --username U --password P`: the data-driven conformance
 * cases (src/conformance/cases) against any DHIS2, read-only unless --allow-writes; one line per
 * case (PASS / FAIL / SKIP) and a summary with the release detected. Exit 0 when nothing failed,
 * 1 when a case failed, 2 on a usage or connection problem (docs/conformance.md).
 */
export function registerConformance(program: Command, setExit: (code: number) => void): void {
  program
    .command('conformance')
    .description('Run the conformance cases against a DHIS2 (or the emulator): where does this server differ from the emulator?')
    .option('--url <url>', 'DHIS2 base URL, e.g. https://dhis2.example.org (default: $DHIS2_BASE_URL)')
    .option('--username <u>', 'DHIS2 user (default: $DHIS2_USERNAME)')
    .option('--password <p>', 'password (default: $DHIS2_PASSWORD)')
    .option('--allow-writes', 'also run the cases that create and delete tracked entities (a throwaway server only)')
    .option('--case <id>', 'run only cases whose id starts with this (repeatable)', collect)
    .option('--list', 'list the cases (id, needs, releases, title) and exit')
    .option('--json <file>', 'also write the report as JSON')
    .option('--org-unit <uid>', 'org unit for writes (default: the user\'s first capture org unit)')
    .option('--tracked-entity-type <uid>', 'tracked entity type (default: the first with a unique TEXT attribute)')
    .option('--unique-attribute <uid>', 'unique TEXT attribute of the type (the upsert key)')
    .option('--name-attribute <uid>', 'non-unique TEXT attribute of the type')
    .option('--program <uid>', 'program with registration for the type')
    .option('--restricted-username <u>', 'a user with a smaller capture scope (with the next three)')
    .option('--restricted-password <p>', 'its password')
    .option('--inside-org-unit <uid>', "an org unit inside the restricted user's capture scope")
    .option('--outside-org-unit <uid>', 'an org unit outside it')
    .option('--timeout <ms>', 'per request', '30000')
    .action(async (opts) => {
      if (opts.list) {
        process.stdout.write(selectCases(opts.case).map((c) => `${c.id}  [${c.needs}; ${describeRange(c.releases)}]  ${c.title}\n`).join(''));
        return setExit(0);
      }
      const url = opts.url ?? process.env.DHIS2_BASE_URL;
      const username = opts.username ?? process.env.DHIS2_USERNAME;
      const password = opts.password ?? process.env.DHIS2_PASSWORD;
      if (!url) throw new CliUsageError('Give the DHIS2 base URL with --url (or DHIS2_BASE_URL).');
      if (!username || password === undefined) throw new CliUsageError('Give the credentials with --username and --password (or DHIS2_USERNAME and DHIS2_PASSWORD).');
      const cases = selectCases(opts.case);
      const color = process.stdout.isTTY === true;
      try {
        const report = await runConformance({
          url, username, password, cases,
          allowWrites: opts.allowWrites === true,
          targets: targetsFrom(opts),
          timeoutMs: parseIntOption(opts.timeout, '--timeout'),
          onResult: (r) => process.stdout.write(`${formatResult(r, color)}\n`),
        });
        process.stdout.write(`${formatSummary(report)}\n`);
        if (opts.json) await writeFile(opts.json, reportJson(report));
        setExit(report.counts.fail > 0 ? 1 : 0);
      } catch (e) {
        if (e instanceof ConformanceSetupError) throw new CliUsageError(e.message);
        throw e;
      }
    });
}
