/** No replay with this id is recorded (never created, a dry run, which records nothing, or expired). Answered 404. */
export class ReplayNotFoundError extends Error {
  override readonly name = 'ReplayNotFoundError';
  readonly retryable = false;

  constructor(readonly replayId: string) {
    super(`no replay "${replayId}" is recorded (dry runs record nothing; records expire 30 days after their last change)`);
  }
}
