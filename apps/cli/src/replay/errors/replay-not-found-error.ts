/**
 * No replay with this id is recorded in Redis (never created, created by a dry
 * run, which records nothing, or expired after its retention). Exit code 2.
 */
export class ReplayNotFoundError extends Error {
  override readonly name = 'ReplayNotFoundError';
  readonly retryable = false;

  constructor(readonly replayId: string) {
    super(`no replay "${replayId}" is recorded (dry runs record nothing; records expire after 30 days)`);
  }
}
