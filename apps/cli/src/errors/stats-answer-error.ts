/**
 * The stats service refused a request for a reason the operator can fix: a
 * selection it cannot read (400), an unknown replay (404), a replay that
 * cannot do that now (409). Retrying the same command gets the same answer.
 * Exit code 2.
 */
export class StatsAnswerError extends Error {
  override readonly name = 'StatsAnswerError';
  readonly retryable = false;

  /**
   * @param status the HTTP status
   * @param message the service's explanation
   */
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
