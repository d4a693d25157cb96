/** A command run by `--exec` failed; the message ends with the last line of its stderr. */
export class ExecFailedError extends Error {
  readonly code = 'EXEC_FAILED';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    /** a failed program may have written before it failed; only its own word (persistent `outcomeUnknown: false`) says otherwise */
    readonly outcomeUnknown = true,
  ) {
    super(message);
  }
}
