/**
 * The ingestor answered something the CLI cannot act on: a status it does not
 * expect (404 for a wrong --ingestor-url, 413, 400 for the whole request) or a
 * body that is not a submission result. Retrying the same request would get the
 * same answer, so the run stops; exit code 3.
 */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  readonly retryable = false;

  /**
   * @param message what was wrong with it
   * @param status HTTP status of the answer, when known
   */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
