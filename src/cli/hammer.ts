import type { Command } from 'commander';
import pc from 'picocolors';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { hammer, type HammerReport } from '../harness/scenario/hammer/hammer.js';
import { closeImplementation } from '../harness/exec-adapter.js';
import { resolveImplementation } from '../harness/scenario/implementation.js';
import { EMULATOR_GAP_LABEL, formatUnhandledWarning } from '../harness/unhandled.js';
import { addImplementationOptions, checkExecCommand, SPEC_HELP, specsOf, type ImplementationFlags } from './implementation-flag.js';
import { CliUsageError, parseExecFlags, parseIntOption } from './options.js';
import { Progress } from './progress.js';
import { EXIT } from './usage.js';

interface HammerCliOptions extends ImplementationFlags {
  target?: string;
  username?: string;
  password?: string;
  execMode?: string;
  execPool?: string;
  records: string;
  concurrency: string;
  parallel: string;
  trackedEntityType?: string;
  keyAttribute?: string;
  orgUnit?: string;
  salt?: string;
  opTimeout: string;
  dhis2Version: string;
  uniqueness: string;
  json?: boolean;
  quiet?: boolean;
}

export function formatHammer(r: HammerReport, color: boolean): string {
  const c = pc.createColors(color);
  const lines = [
    `${r.ok ? c.green(c.bold('PASS')) : c.red(c.bold('FAIL'))}: ${r.records} record(s) × ${r.concurrency} concurrent upsert(s) through ${r.implementation} at ${r.target} (DHIS2 ${r.dhis2Version})`,
    `  key attribute ${r.keyAttribute.name} (${r.keyAttribute.id}${r.keyAttribute.unique ? ', unique' : ', not unique'}), type ${r.trackedEntityType}, org unit ${r.orgUnit}, keys HAMMER-${r.salt}-*`,
    `  upserts: ${r.outcomes.ok} succeeded, ${r.outcomes.fail} failed, ${r.outcomes.unknown} unknown; ${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.duplicates.length) lines.push(c.red(`  ${r.duplicates.length} key(s) with duplicates, e.g. ${r.duplicates[0].key}: ${r.duplicates[0].uids.join(', ')}`));
  if (r.missing.length) lines.push(c.red(`  ${r.missing.length} key(s) reported upserted but not found, e.g. ${r.missing[0]}`));
  for (const f of r.findings.slice(0, 8)) lines.push(`  ${c.bold(f.code)}${f.emulatorGap ? ` ${c.yellow(EMULATOR_GAP_LABEL)}` : ''} ${f.message}`);
  if (r.findings.length > 8) lines.push(`  … ${r.findings.length - 8} more finding(s)`);
  for (const e of r.errors) lines.push(`  op${e.op} (${e.key}): ${e.message}`);
  lines.push(`  the entities stay on the server: they carry ${r.keyAttribute.id} = HAMMER-${r.salt}-…`);
  lines.push(...formatUnhandledWarning(r.unhandled ?? [], { color }));
  return `${lines.join('\n')}\n`;
}

export function registerHammer(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('hammer')
    .description('Fire N records × C concurrent upserts through an implementation at any DHIS2, then check for duplicates through the public API only. Exit code 0 on PASS, 1 on a finding, 2 on a usage error.')
    .option('--target <url>', 'DHIS2 base URL (e.g. https://staging.example.org/dhis); an embedded emulator when absent')
    .option('--username <u>', 'DHIS2 user (default $DHIS2_USERNAME or admin)')
    .option('--password <p>', 'password (default $DHIS2_PASSWORD or district)');
  addImplementationOptions(command, `the upsert to hammer: ${SPEC_HELP} (default robust)`)
    .option('--exec-mode <mode>', 'per-operation or persistent (long-lived processes; docs/exec.md)', 'per-operation')
    .option('--exec-pool <n>', 'persistent mode: at most this many processes (default: concurrency × parallel, at least 8)')
    .option('--records <n>', 'distinct records (keys)', '20')
    .option('--concurrency <n>', 'concurrent upserts of each record', '4')
    .option('--parallel <n>', 'records in flight at once', '4')
    .option('--tracked-entity-type <uid>', 'type to create (default: the first one)')
    .option('--key-attribute <uid>', 'key attribute (default: the type\'s first unique TEXT attribute)')
    .option('--org-unit <uid>', 'where to register (default: the user\'s first capture org unit)')
    .option('--salt <s>', 'key prefix part (default random): keys are HAMMER-<salt>-0000 …')
    .option('--op-timeout <ms>', 'per-upsert limit (then its outcome is unknown)', '60000')
    .option('--dhis2-version <v>', 'embedded emulator only: version to emulate', '2.40')
    .option('--uniqueness <mode>', 'embedded emulator only: racy | atomic | off', 'racy')
    .option('--json', 'print the report as JSON')
    .option('--quiet', 'no progress on stderr')
    .action(async (o: HammerCliOptions) => {
      const specs = specsOf(o);
      if (specs.length > 1) throw new CliUsageError(`hammer runs one implementation; got ${specs.join(', ')}.`);
      const spec = specs[0] ?? 'robust';
      const records = parseIntOption(o.records, '--records');
      const concurrency = parseIntOption(o.concurrency, '--concurrency');
      if (records < 1 || concurrency < 1) throw new CliUsageError('--records and --concurrency must be at least 1.');
      if (o.uniqueness !== 'racy' && o.uniqueness !== 'atomic' && o.uniqueness !== 'off') throw new CliUsageError(`--uniqueness takes racy, atomic or off, not '${o.uniqueness}'.`);
      if (spec.startsWith('exec:')) checkExecCommand(spec.slice('exec:'.length));
      const inFlight = concurrency * Math.max(1, Math.min(parseIntOption(o.parallel, '--parallel'), records));
      const exec = parseExecFlags(o.execMode, o.execPool, inFlight);
      if (exec.mode !== 'per-operation' && !spec.startsWith('exec:')) throw new CliUsageError('--exec-mode applies to --exec "COMMAND" (or --implementation exec:COMMAND) only.');
      let implementation;
      try {
        implementation = await resolveImplementation(spec, process.cwd(), parseIntOption(o.opTimeout, '--op-timeout'), exec);
      } catch (e) {
        throw new CliUsageError((e as Error).message);
      }
      let embedded: MockDhis2 | undefined;
      let target = o.target;
      if (!target) {
        embedded = await createMockDhis2({ dhis2Version: o.dhis2Version, uniqueness: o.uniqueness as 'racy', log: () => {} });
        target = await embedded.listen(0, '127.0.0.1');
        if (!o.quiet) process.stderr.write(`embedded emulator at ${target} (DHIS2 ${embedded.runtime.ctx.version.label}, uniqueness ${o.uniqueness}, seed ${embedded.seed})\n`);
      }
      const progress = new Progress({ command: 'hammer', unit: 'upserts', total: records * concurrency, quiet: o.quiet });
      try {
        const report = await hammer({
          target,
          username: o.username ?? process.env.DHIS2_USERNAME ?? 'admin',
          password: o.password ?? process.env.DHIS2_PASSWORD ?? 'district',
          implementation,
          implementationName: spec,
          records,
          concurrency,
          parallel: parseIntOption(o.parallel, '--parallel'),
          ...(o.trackedEntityType ? { trackedEntityType: o.trackedEntityType } : {}),
          ...(o.keyAttribute ? { keyAttribute: o.keyAttribute } : {}),
          ...(o.orgUnit ? { orgUnit: o.orgUnit } : {}),
          ...(o.salt ? { salt: o.salt } : {}),
          opTimeoutMs: parseIntOption(o.opTimeout, '--op-timeout'),
          onProgress: (done) => progress.update(done),
          ...(embedded ? { unhandled: () => embedded!.admin.unhandled() } : {}),
        });
        progress.stop();
        process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatHammer(report, !!process.stdout.isTTY));
        setExit(report.ok ? EXIT.pass : EXIT.findings);
      } finally {
        progress.stop();
        await closeImplementation(implementation);
        await embedded?.close();
      }
    });
}
