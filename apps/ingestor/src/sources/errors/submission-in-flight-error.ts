/**
 * Some items of a source batch are reserved by a publish that has not been
 * confirmed yet (`IN_FLIGHT`): possibly our own earlier attempt that timed out.
 * Committing now could lose them if that publish never landed, so the batch is
 * retried (retryable) until they are either confirmed or free again.
 */
export class SubmissionInFlightError extends Error {
  override readonly name = 'SubmissionInFlightError';
  readonly retryable = true;

  constructor(readonly itemIds: readonly string[]) {
    const shown = `${itemIds.slice(0, 5).join(', ')}${itemIds.length > 5 ? ', ...' : ''}`;
    super(`${itemIds.length} item(s) are still being published by an earlier attempt (${shown}); retrying the batch`);
  }
}
