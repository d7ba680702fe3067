/**
 * `decide` or `chooseDelayTier` was called with an impossible value (attempt 0, a random source
 * outside [0, 1), a NaN delay). A bug in the caller, not a property of the item: not retryable.
 */
export class InvalidRetryInputError extends Error {
  readonly retryable = false;

  constructor(
    /** Name of the offending argument, e.g. `attempt`. */
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidRetryInputError';
  }
}
