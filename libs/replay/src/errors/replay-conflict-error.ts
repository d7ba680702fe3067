/**
 * The replay cannot do that now: its id is taken, it is running already, or it
 * was cancelled. Retrying the same request gets the same answer until the
 * replay's state changes. Answered 409.
 */
export class ReplayConflictError extends Error {
  override readonly name = 'ReplayConflictError';
  readonly retryable = false;

  constructor(
    readonly replayId: string,
    message: string,
  ) {
    super(message);
  }
}
