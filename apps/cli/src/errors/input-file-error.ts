/**
 * The input file cannot be read as items at all: missing, unreadable, empty, or
 * a CSV header without the columns the items need. Found before anything is
 * sent; exit code 2. (A single bad line is not this: it is rejected and counted.)
 */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  readonly retryable = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
