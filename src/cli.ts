import { Command, CommanderError } from 'commander';
import { registerConformance } from './cli/conformance.js';
import { registerHammer } from './cli/hammer.js';
import { registerRun } from './cli/run.js';
import { registerServe } from './cli/serve.js';
import { registerUpsert } from './cli/upsert.js';
import { reportUsageError } from './cli/usage.js';
import { registerVerify } from './cli/verify.js';
import { packageVersion } from './cli/version.js';

/**
 * `dhis2-harness <command>`. Each command registers itself; `main` resolves to the exit code so
 * tests can drive the CLI in-process: 0 passed, 1 findings (or failed records), 2 a usage or
 * configuration error, said in one line on stderr.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('dhis2-harness')
    .description('Prove DHIS2 tracked-entity upserts idempotent and duplicate-free, against a faithful DHIS2 emulator.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addHelpText('after', '\nExit codes: 0 passed, 1 findings (or failed records), 2 usage or configuration error.');
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  registerServe(program, setExit);
  registerRun(program, setExit);
  registerHammer(program, setExit);
  registerVerify(program, setExit);
  registerUpsert(program, setExit);
  registerConformance(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const names = new Set(program.commands.map((c) => c.name()));
    return reportUsageError(argv.find((a) => names.has(a)), err);
  }
  return exitCode;
}
