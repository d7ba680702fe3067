/** A stack process we started died before it became ready. */
export class ProcessExitedError extends Error {
  override readonly name = 'ProcessExitedError';
  readonly retryable = false;

  constructor(
    /** The stack part, e.g. `Apicurio Registry`. */
    readonly component: string,
    /** The pid the process had. */
    readonly pid: number,
    /** Where its output went. */
    readonly logFile: string,
    /** The last lines of that log. */
    readonly logTail: string,
  ) {
    super(`${component} (pid ${pid}) exited before it was ready. See ${logFile}; its last lines:\n${logTail}`);
  }
}
