/**
 * The command line or the input file cannot be used as given (unknown option,
 * bad value, missing file, unusable CSV header). Nothing was sent; exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly retryable = false;

  /**
   * @param message what is wrong, naming the option or file at fault
   * @param hint the help to point at, e.g. `workpipe submit --help`
   */
  constructor(
    message: string,
    readonly hint = 'workpipe --help',
  ) {
    super(message);
  }
}
