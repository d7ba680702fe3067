/**
 * A `WorkFailureError` was given a type that is not UPPER_SNAKE_CASE. A bug in the handler that
 * throws it, so it is raised at the throw site rather than discovered when the failure is
 * published. Not retryable.
 */
export class InvalidFailureTypeError extends Error {
  readonly retryable = false;

  constructor(readonly failureType: string) {
    super(`failure type must be UPPER_SNAKE_CASE, 2-64 characters, got ${JSON.stringify(failureType)}`);
    this.name = 'InvalidFailureTypeError';
  }
}
