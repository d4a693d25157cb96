import { Command, CommanderError } from 'commander';
import { reportUsageError } from './cli/usage.js';
import { packageVersion } from './cli/version.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs (or for the overall help): a script
 * that calls `dhis2-harness upsert` per batch should not pay for loading the emulator and the
 * harness.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./cli/serve.js')).registerServe,
  run: async () => (await import('./cli/run.js')).registerRun,
  hammer: async () => (await import('./cli/hammer.js')).registerHammer,
  verify: async () => (await import('./cli/verify.js')).registerVerify,
  upsert: async () => (await import('./cli/upsert.js')).registerUpsert,
  conformance: async () => (await import('./cli/conformance.js')).registerConformance,
};

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
  // the command is the first word that is not an option (none of the program's own options takes a value)
  const named = argv.find((a) => !a.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]()))) register(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const names = new Set(program.commands.map((c) => c.name()));
    return reportUsageError(argv.find((a) => names.has(a)), err);
  }
  return exitCode;
}
